using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Requesty.Management.Domain.ApiKeys;
using Requesty.Management.Tests.Support;

namespace Requesty.Management.Tests.Apis;

public sealed class ApiKeysApiTests(ManagementHostFixture fixture) : IClassFixture<ManagementHostFixture>
{
    [Fact]
    public async Task Create_returns_the_key_once_and_stores_only_its_hash()
    {
        using var client = fixture.Client();
        var created = await client.CreateKeyAsync(new
        {
            name = "ci pipeline",
            monthly_limit = 25.50m,
            permissions = new[] { "chat", "manage_read" },
            labels = new Dictionary<string, string> { ["env"] = "prod" },
        });

        var key = created["key"]!.GetValue<string>();
        var id = created["id"]!.GetValue<Guid>();
        Assert.StartsWith("rqsty-sk-", key);
        Assert.Equal(9 + 43, key.Length);
        Assert.Equal(key[..12], created["prefix"]!.GetValue<string>());
        Assert.Equal("ci pipeline", created["name"]!.GetValue<string>());
        Assert.Equal(25.50m, created["monthly_limit"]!.GetValue<decimal>());
        Assert.Equal(["chat", "manage_read"], created["permissions"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal("prod", created["labels"]!["env"]!.GetValue<string>());

        // The database knows the hash, and nowhere (read model or event log) the plaintext.
        await using var hashQuery = fixture.Database.CreateCommand("SELECT key_hash FROM management.api_keys WHERE id = @id");
        hashQuery.Parameters.AddWithValue("id", id);
        Assert.Equal(ApiKeySecret.Hash(key), (string?)await hashQuery.ExecuteScalarAsync());
        await using var plaintextQuery = fixture.Database.CreateCommand("""
            SELECT (SELECT count(*) FROM management.events WHERE data::text LIKE '%' || @secret || '%')
                 + (SELECT count(*) FROM management.api_keys t WHERE row_to_json(t)::text LIKE '%' || @secret || '%')
            """);
        plaintextQuery.Parameters.AddWithValue("secret", key[12..]);
        Assert.Equal(0L, (long)(await plaintextQuery.ExecuteScalarAsync())!);

        // Later reads never show the key again.
        var fetched = await (await client.GetAsync($"v1/manage/apikey/{id}")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Null(fetched["key"]);
        var list = await (await client.GetAsync("v1/manage/apikey")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.All(list["api_keys"]!.AsArray(), k => Assert.Null(k!["key"]));
    }

    [Fact]
    public async Task Create_defaults_permissions_to_chat_and_the_new_key_authenticates()
    {
        using var admin = fixture.Client();
        var created = await admin.CreateKeyAsync(new { name = "chat only" });
        Assert.Equal(["chat"], created["permissions"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Null(created["monthly_limit"]);

        // chat-only key: authenticated, but not allowed to manage.
        using var chatOnly = fixture.Client(created["key"]!.GetValue<string>());
        var forbidden = await chatOnly.GetAsync("v1/manage/apikey");
        await forbidden.ReadProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task List_and_get_show_the_organisations_keys()
    {
        using var client = fixture.Client();
        var created = await client.CreateKeyAsync(new { name = "listed", monthly_limit = 5 });
        var id = created["id"]!.GetValue<Guid>();

        var list = await (await client.GetAsync("v1/manage/apikey")).ReadJsonAsync(HttpStatusCode.OK);
        var names = list["api_keys"]!.AsArray().Select(k => k!["name"]!.GetValue<string>()).ToList();
        Assert.Contains("listed", names);
        Assert.Contains("admin", names);

        var response = await client.GetAsync($"v1/manage/apikey/{id}");
        var details = await response.ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(id, details["id"]!.GetValue<Guid>());
        Assert.Equal(5m, details["monthly_limit"]!.GetValue<decimal>());
        Assert.Equal(0m, details["spend_this_month"]!.GetValue<decimal>());
        Assert.Equal(1, details["version"]!.GetValue<long>());
        Assert.Equal("\"1\"", response.Headers.ETag?.Tag);
    }

    [Fact]
    public async Task Limit_labels_and_expiry_updates_change_the_key()
    {
        using var client = fixture.Client();
        var id = (await client.CreateKeyAsync(new { name = "updatable", labels = new Dictionary<string, string> { ["team"] = "a" } }))["id"]!.GetValue<Guid>();

        var limited = await (await client.PostAsJsonAsync($"v1/manage/apikey/{id}/limit", new { monthly_limit = 12.345m })).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(12.345m, limited["monthly_limit"]!.GetValue<decimal>());
        Assert.Equal(2, limited["version"]!.GetValue<long>());

        var unlimited = await (await client.PostAsJsonAsync($"v1/manage/apikey/{id}/limit", new { monthly_limit = (decimal?)null })).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Null(unlimited["monthly_limit"]);

        var labelled = await (await client.PostAsJsonAsync($"v1/manage/apikey/{id}/labels",
            new { labels = new Dictionary<string, string> { ["env"] = "staging", ["team"] = "b" } })).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("staging", labelled["labels"]!["env"]!.GetValue<string>());
        Assert.Equal("b", labelled["labels"]!["team"]!.GetValue<string>());

        var cleared = await (await client.PostAsJsonAsync($"v1/manage/apikey/{id}/labels", new { labels = new { } })).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Empty(cleared["labels"]!.AsObject());

        var expiresAt = DateTime.UtcNow.AddDays(30);
        var expiring = await (await client.PostAsJsonAsync($"v1/manage/apikey/{id}/expiry", new { expires_at = expiresAt })).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(expiresAt, expiring["expires_at"]!.GetValue<DateTime>().ToUniversalTime(), TimeSpan.FromMilliseconds(1));
        Assert.False(expiring["expired"]!.GetValue<bool>());

        var nonExpiring = await (await client.PostAsJsonAsync($"v1/manage/apikey/{id}/expiry", new { expires_at = (DateTime?)null })).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Null(nonExpiring["expires_at"]);
        Assert.Equal(7, nonExpiring["version"]!.GetValue<long>());
    }

    [Fact]
    public async Task An_expired_key_cannot_be_unexpired_and_no_longer_authenticates()
    {
        using var client = fixture.Client();
        var created = await client.CreateKeyAsync(new
        {
            name = "short lived",
            permissions = new[] { "manage_read" },
            expires_at = DateTime.UtcNow.AddSeconds(1),
        });
        var id = created["id"]!.GetValue<Guid>();
        using var shortLived = fixture.Client(created["key"]!.GetValue<string>());

        // Bounded wait for the second to pass, then the key must be refused and stay expired.
        var refused = await Eventually(async () => (await shortLived.GetAsync("v1/manage/org")).StatusCode == HttpStatusCode.Unauthorized);
        Assert.True(refused);

        var response = await client.PostAsJsonAsync($"v1/manage/apikey/{id}/expiry", new { expires_at = (DateTime?)null });
        var problem = await response.ReadProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("expired", problem["detail"]!.GetValue<string>());

        var details = await (await client.GetAsync($"v1/manage/apikey/{id}")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.True(details["expired"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Delete_answers_204_then_the_key_is_gone_and_refused()
    {
        using var client = fixture.Client();
        var created = await client.CreateKeyAsync(new { name = "doomed", permissions = new[] { "manage_read" } });
        var id = created["id"]!.GetValue<Guid>();

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"v1/manage/apikey/{id}")).StatusCode);
        await (await client.GetAsync($"v1/manage/apikey/{id}")).ReadProblemAsync(HttpStatusCode.NotFound);
        await (await client.DeleteAsync($"v1/manage/apikey/{id}")).ReadProblemAsync(HttpStatusCode.NotFound);
        await (await client.PostAsJsonAsync($"v1/manage/apikey/{id}/limit", new { monthly_limit = 1 })).ReadProblemAsync(HttpStatusCode.NotFound);

        var list = await (await client.GetAsync("v1/manage/apikey")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(list["api_keys"]!.AsArray(), k => k!["id"]!.GetValue<Guid>() == id);

        using var deleted = fixture.Client(created["key"]!.GetValue<string>());
        await (await deleted.GetAsync("v1/manage/org")).ReadProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Invalid_bodies_answer_400_with_field_errors()
    {
        using var client = fixture.Client();

        var problem = await (await client.PostAsJsonAsync("v1/manage/apikey", new
        {
            name = "",
            monthly_limit = -1,
            permissions = new[] { "chat", "root" },
            expires_at = DateTime.UtcNow.AddDays(-1),
        })).ReadProblemAsync(HttpStatusCode.BadRequest);
        var errors = problem["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("name"));
        Assert.True(errors.ContainsKey("monthly_limit"));
        Assert.True(errors.ContainsKey("permissions"));
        Assert.True(errors.ContainsKey("expires_at"));

        var badType = await (await client.PostJsonAsync("v1/manage/apikey", """{"name":"x","monthly_limit":"lots"}"""))
            .ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(badType["errors"]!.AsObject().ContainsKey("monthly_limit"));

        var id = (await client.CreateKeyAsync(new { name = "validated" }))["id"]!.GetValue<Guid>();
        var noLabels = await (await client.PostJsonAsync($"v1/manage/apikey/{id}/labels", "{}")).ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(noLabels["errors"]!.AsObject().ContainsKey("labels"));
        var tooPrecise = await (await client.PostJsonAsync($"v1/manage/apikey/{id}/limit", """{"monthly_limit":1.1234567}"""))
            .ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(tooPrecise["errors"]!.AsObject().ContainsKey("monthly_limit"));
    }

    [Fact]
    public async Task Missing_or_invalid_key_answers_401()
    {
        using var anonymous = fixture.Host.CreateClient();
        var missing = await anonymous.GetAsync("v1/manage/apikey");
        await missing.ReadProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("Bearer", missing.Headers.WwwAuthenticate.ToString());

        using var wrong = fixture.Client(ApiKeySecret.Generate());
        await (await wrong.PostAsJsonAsync("v1/manage/apikey", new { name = "nope" })).ReadProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_read_only_key_cannot_write()
    {
        using var admin = fixture.Client();
        var readOnly = await admin.CreateKeyAsync(new { name = "auditor", permissions = new[] { "manage_read" } });
        using var client = fixture.Client(readOnly["key"]!.GetValue<string>());

        await (await client.GetAsync("v1/manage/apikey")).ReadJsonAsync(HttpStatusCode.OK);
        await (await client.PostAsJsonAsync("v1/manage/apikey", new { name = "escalation" })).ReadProblemAsync(HttpStatusCode.Forbidden);
        await (await client.DeleteAsync($"v1/manage/apikey/{readOnly["id"]}")).ReadProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Another_organisations_key_is_not_found()
    {
        var otherAdmin = ApiKeySecret.Generate();
        await using var otherHost = await ManagementHostFixture.StartHostAsync(otherAdmin, "Other org");
        using var other = otherHost.CreateClient();
        other.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", otherAdmin);
        var foreignId = (await other.CreateKeyAsync(new { name = "theirs" }))["id"]!.GetValue<Guid>();

        using var client = fixture.Client();
        await (await client.GetAsync($"v1/manage/apikey/{foreignId}")).ReadProblemAsync(HttpStatusCode.NotFound);
        await (await client.DeleteAsync($"v1/manage/apikey/{foreignId}")).ReadProblemAsync(HttpStatusCode.NotFound);
        await (await client.PostAsJsonAsync($"v1/manage/apikey/{foreignId}/limit", new { monthly_limit = 1 })).ReadProblemAsync(HttpStatusCode.NotFound);
        var list = await (await client.GetAsync("v1/manage/apikey")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(list["api_keys"]!.AsArray(), k => k!["id"]!.GetValue<Guid>() == foreignId);

        // The foreign key itself still exists for its owner.
        await (await other.GetAsync($"v1/manage/apikey/{foreignId}")).ReadJsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_stale_If_Match_version_answers_409_and_changes_nothing()
    {
        using var client = fixture.Client();
        var id = (await client.CreateKeyAsync(new { name = "contended", monthly_limit = 1 }))["id"]!.GetValue<Guid>();
        var etag = (await client.GetAsync($"v1/manage/apikey/{id}")).Headers.ETag!.Tag;

        // Writer A updates with the current version; writer B still holds the old one.
        var first = new HttpRequestMessage(HttpMethod.Post, $"v1/manage/apikey/{id}/limit") { Content = JsonContent.Create(new { monthly_limit = 2 }) };
        first.Headers.IfMatch.Add(new EntityTagHeaderValue(etag));
        await (await client.SendAsync(first)).ReadJsonAsync(HttpStatusCode.OK);

        var stale = new HttpRequestMessage(HttpMethod.Post, $"v1/manage/apikey/{id}/limit") { Content = JsonContent.Create(new { monthly_limit = 3 }) };
        stale.Headers.IfMatch.Add(new EntityTagHeaderValue(etag));
        await (await client.SendAsync(stale)).ReadProblemAsync(HttpStatusCode.Conflict);

        var staleDelete = new HttpRequestMessage(HttpMethod.Delete, $"v1/manage/apikey/{id}");
        staleDelete.Headers.IfMatch.Add(new EntityTagHeaderValue(etag));
        await (await client.SendAsync(staleDelete)).ReadProblemAsync(HttpStatusCode.Conflict);

        var details = await (await client.GetAsync($"v1/manage/apikey/{id}")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2m, details["monthly_limit"]!.GetValue<decimal>());
        Assert.Equal(2, details["version"]!.GetValue<long>());
    }

    [Fact]
    public async Task Concurrent_updates_never_lose_a_write_silently()
    {
        using var client = fixture.Client();
        var id = (await client.CreateKeyAsync(new { name = "raced" }))["id"]!.GetValue<Guid>();

        // Eight writers that all read version 1 and insist on it: exactly one may win.
        var attempts = Enumerable.Range(1, 8).Select(async i =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"v1/manage/apikey/{id}/limit") { Content = JsonContent.Create(new { monthly_limit = i }) };
            request.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));
            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }).ToArray();
        var statuses = await Task.WhenAll(attempts);

        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(7, statuses.Count(s => s == HttpStatusCode.Conflict));
        var details = await (await client.GetAsync($"v1/manage/apikey/{id}")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, details["version"]!.GetValue<long>());
    }

    [Fact]
    public async Task Org_returns_the_callers_organisation()
    {
        using var client = fixture.Client();
        var org = await (await client.GetAsync("v1/manage/org")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(fixture.OrganizationName, org["name"]!.GetValue<string>());
        Assert.NotEqual(Guid.Empty, org["id"]!.GetValue<Guid>());
        Assert.Equal(0m, org["balance"]!.GetValue<decimal>());
        Assert.True(org["created_at"]!.GetValue<DateTime>() <= DateTime.UtcNow.AddMinutes(1));
    }

    private static async Task<bool> Eventually(Func<Task<bool>> condition)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (await condition()) return true;
            await Task.Delay(100);
        }
        return false;
    }
}
