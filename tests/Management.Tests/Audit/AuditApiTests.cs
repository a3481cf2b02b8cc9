using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Requesty.Management.Domain.ApiKeys;
using Requesty.Management.Tests.Identity;
using Requesty.Management.Tests.Support;

namespace Requesty.Management.Tests.Audit;

public sealed class AuditApiTests(ManagementHostFixture fixture) : IClassFixture<ManagementHostFixture>
{
    [Fact]
    public async Task Both_changes_of_a_key_are_listed_with_their_actor_and_without_the_key_hash()
    {
        using var admin = fixture.Client();
        var (adminKeyId, adminKeyName) = await KeyOfAsync(fixture.AdminKey);
        var created = await admin.CreateKeyAsync(new { name = "audited", monthly_limit = 5 });
        var id = created["id"]!.GetValue<Guid>();
        (await admin.PostAsJsonAsync($"v1/manage/apikey/{id}/limit", new { monthly_limit = 9 })).EnsureSuccessStatusCode();

        var page = await GetAsync(admin, $"v1/manage/audit?stream_id={id}");
        var entries = page["data"]!.AsArray();

        Assert.Equal(["api_key.created", "api_key.monthly_limit_changed"], entries.Select(e => e!["event_type"]!.GetValue<string>()));
        Assert.All(entries, e =>
        {
            Assert.Equal($"api_key:{adminKeyId}", e!["actor"]!.GetValue<string>());
            Assert.Equal(adminKeyName, e["actor_name"]!.GetValue<string>());
            Assert.Equal("api_key", e["stream_type"]!.GetValue<string>());
            Assert.Equal(id, e["stream_id"]!.GetValue<Guid>());
            Assert.Equal(DateTimeKind.Utc, e["occurred_at"]!.GetValue<DateTime>().Kind);
        });
        Assert.Equal([1L, 2L], entries.Select(e => e!["version"]!.GetValue<long>()));
        Assert.True(entries[0]!["sequence"]!.GetValue<long>() < entries[1]!["sequence"]!.GetValue<long>());
        Assert.Equal("audited", entries[0]!["data"]!["name"]!.GetValue<string>());
        Assert.Equal(5m, entries[0]!["data"]!["monthly_limit"]!.GetValue<decimal>());
        Assert.Null(entries[0]!["data"]!["key_hash"]);
        Assert.DoesNotContain(ApiKeySecret.Hash(created["key"]!.GetValue<string>()), page.ToJsonString());
        Assert.Equal(9m, entries[1]!["data"]!["monthly_limit"]!.GetValue<decimal>());
        Assert.Null(page["next_after"]);
    }

    [Fact]
    public async Task Filters_by_actor_event_type_time_and_pages_with_after()
    {
        using var admin = fixture.Client();
        var writer = await admin.CreateKeyAsync(new { name = "second writer", permissions = new[] { "manage_read", "manage_write" } });
        var writerId = writer["id"]!.GetValue<Guid>();
        using var second = fixture.Client(writer["key"]!.GetValue<string>());
        var target = (await admin.CreateKeyAsync(new { name = "filtered" }))["id"]!.GetValue<Guid>();
        (await second.PostAsJsonAsync($"v1/manage/apikey/{target}/labels", new { labels = new { team = "x" } })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"v1/manage/apikey/{target}/limit", new { monthly_limit = 3 })).EnsureSuccessStatusCode();

        var bySecond = (await GetAsync(admin, $"v1/manage/audit?stream_id={target}&actor=api_key:{writerId}"))["data"]!.AsArray();
        Assert.Equal("api_key.labels_changed", Assert.Single(bySecond)!["event_type"]!.GetValue<string>());
        Assert.Equal("second writer", bySecond[0]!["actor_name"]!.GetValue<string>());
        Assert.Equal("x", bySecond[0]!["data"]!["labels"]!["team"]!.GetValue<string>());
        // A bare key id is shorthand for the api_key actor.
        Assert.Single((await GetAsync(admin, $"v1/manage/audit?stream_id={target}&actor={writerId}"))["data"]!.AsArray());

        var limits = (await GetAsync(admin, $"v1/manage/audit?event_type=api_key.monthly_limit_changed&stream_id={target}"))["data"]!.AsArray();
        Assert.Equal(3m, Assert.Single(limits)!["data"]!["monthly_limit"]!.GetValue<decimal>());

        var keyStreams = (await GetAsync(admin, "v1/manage/audit?stream_type=api_key&limit=500"))["data"]!.AsArray();
        Assert.All(keyStreams, e => Assert.Equal("api_key", e!["stream_type"]!.GetValue<string>()));
        Assert.Contains(keyStreams, e => e!["stream_id"]!.GetValue<Guid>() == target);

        var all = (await GetAsync(admin, $"v1/manage/audit?stream_id={target}"))["data"]!.AsArray();
        Assert.Equal(3, all.Count);
        var secondAt = all[1]!["occurred_at"]!.GetValue<DateTime>();
        var thirdAt = all[2]!["occurred_at"]!.GetValue<DateTime>();
        var window = (await GetAsync(admin, $"v1/manage/audit?stream_id={target}&from={Iso(secondAt)}&to={Iso(thirdAt)}"))["data"]!.AsArray();
        Assert.Equal(
            all.Where(e => e!["occurred_at"]!.GetValue<DateTime>() >= secondAt && e["occurred_at"]!.GetValue<DateTime>() < thirdAt).Select(Seq),
            window.Select(Seq));
        Assert.Contains(window, e => e!["event_type"]!.GetValue<string>() == "api_key.labels_changed");

        // Cursor pagination walks the same entries, one per page.
        var walked = new List<long>();
        long? after = 0;
        for (var i = 0; i < 10 && after is not null; i++)
        {
            var page = await GetAsync(admin, $"v1/manage/audit?stream_id={target}&limit=1&after={after}");
            walked.AddRange(page["data"]!.AsArray().Select(Seq));
            after = page["next_after"]?.GetValue<long>();
        }
        Assert.Equal(all.Select(Seq), walked);
    }

    [Fact]
    public async Task Another_organisations_changes_are_never_visible()
    {
        var otherAdminKey = ApiKeySecret.Generate();
        await using var otherHost = await ManagementHostFixture.StartHostAsync(otherAdminKey, "Other org " + Guid.NewGuid().ToString("N")[..8]);
        using var other = otherHost.CreateClient();
        other.DefaultRequestHeaders.Authorization = new("Bearer", otherAdminKey);
        var foreignKey = (await other.CreateKeyAsync(new { name = "foreign" }))["id"]!.GetValue<Guid>();
        (await other.PostAsJsonAsync($"v1/manage/apikey/{foreignKey}/limit", new { monthly_limit = 1 })).EnsureSuccessStatusCode();
        var otherOrg = (await (await other.GetAsync("v1/manage/org")).ReadJsonAsync(HttpStatusCode.OK))["id"]!.GetValue<Guid>();

        using var admin = fixture.Client();
        var mine = (await admin.CreateKeyAsync(new { name = "mine" }))["id"]!.GetValue<Guid>();

        Assert.Empty((await GetAsync(admin, $"v1/manage/audit?stream_id={foreignKey}"))["data"]!.AsArray());
        Assert.Empty((await GetAsync(admin, $"v1/manage/audit?stream_id={otherOrg}"))["data"]!.AsArray());
        var everything = (await GetAsync(admin, "v1/manage/audit?limit=500"))["data"]!.AsArray();
        Assert.Contains(everything, e => e!["stream_id"]!.GetValue<Guid>() == mine);
        Assert.DoesNotContain(everything, e => e!["stream_id"]!.GetValue<Guid>() == foreignKey || e["stream_id"]!.GetValue<Guid>() == otherOrg);
        // ...and the other way round: the other organisation sees its own key but not ours.
        var theirs = (await GetAsync(other, "v1/manage/audit?limit=500"))["data"]!.AsArray();
        Assert.Equal(2, theirs.Count(e => e!["stream_id"]!.GetValue<Guid>() == foreignKey));
        Assert.DoesNotContain(theirs, e => e!["stream_id"]!.GetValue<Guid>() == mine);
    }

    [Theory]
    [InlineData("limit=501", "limit")]
    [InlineData("limit=0", "limit")]
    [InlineData("stream_id=not-a-uuid", "stream_id")]
    [InlineData("after=-1", "after")]
    [InlineData("from=yesterday", "from")]
    [InlineData("from=2025-02-01T00:00:00Z&to=2025-01-01T00:00:00Z", "to")]
    [InlineData("colour=red", "colour")]
    public async Task Malformed_filters_are_field_level_400s(string query, string field)
    {
        using var admin = fixture.Client();
        var problem = await (await admin.GetAsync($"v1/manage/audit?{query}")).ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]![field]);
    }

    [Fact]
    public async Task A_key_without_manage_read_cannot_read_the_audit_log()
    {
        using var admin = fixture.Client();
        var chatOnly = await admin.CreateKeyAsync(new { name = "chat only" });
        using var client = fixture.Client(chatOnly["key"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("v1/manage/audit")).StatusCode);
    }

    [Fact]
    public async Task A_member_cannot_read_the_audit_log()
    {
        using var admin = fixture.Client();
        var member = await admin.CreateUserAsync("member");
        var (_, memberKey) = await admin.CreateUserKeyAsync(member.Id());
        using var client = fixture.Client(memberKey);
        await (await client.GetAsync("v1/manage/audit")).ReadProblemAsync(HttpStatusCode.Forbidden);
    }

    private async Task<(Guid Id, string Name)> KeyOfAsync(string secret)
    {
        await using var command = fixture.Database.CreateCommand("SELECT id, name FROM management.api_keys WHERE key_hash = @hash");
        command.Parameters.AddWithValue("hash", ApiKeySecret.Hash(secret));
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetGuid(0), reader.GetString(1));
    }

    private static async Task<JsonNode> GetAsync(HttpClient client, string url) =>
        await (await client.GetAsync(url)).ReadJsonAsync(HttpStatusCode.OK);

    private static long Seq(JsonNode? entry) => entry!["sequence"]!.GetValue<long>();

    private static string Iso(DateTime value) => Uri.EscapeDataString(value.ToUniversalTime().ToString("O"));
}
