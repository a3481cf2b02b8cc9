using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Requesty.Contracts.Management;
using Requesty.Management.Application.Byok;
using Requesty.Management.Domain.ApiKeys;
using Requesty.Management.Domain.Byok;
using Requesty.Management.Infrastructure.EventSourcing;
using Requesty.Management.Infrastructure.Projections;
using Requesty.Management.Tests.Support;
using Requesty.TestKit;

namespace Requesty.Management.Tests.Byok;

/// <summary>/v1/manage/byok and /internal/byok against the real PostgreSQL and RabbitMQ.</summary>
public sealed class ByokApiTests(ByokManagementFixture fixture) : IClassFixture<ByokManagementFixture>
{
    private static string NewProviderKey(string prefix) => prefix + Convert.ToHexString(RandomNumberGenerator.GetBytes(20)).ToLowerInvariant();

    private static Task<HttpResponseMessage> PutAsync(HttpClient client, string provider, string apiKey) =>
        client.PutAsJsonAsync($"v1/manage/byok/{provider}", new { api_key = apiKey });

    private async Task<Guid> OrganizationIdAsync()
    {
        using var client = fixture.Client();
        return (await (await client.GetAsync("v1/manage/org")).ReadJsonAsync(HttpStatusCode.OK))["id"]!.GetValue<Guid>();
    }

    private async Task<List<string>> RowsAsync(string sql, Guid organizationId, Guid? streamId = null)
    {
        await using var command = fixture.Database.CreateCommand(sql);
        command.Parameters.AddWithValue("org", organizationId);
        command.Parameters.AddWithValue("stream", streamId ?? Guid.Empty);
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        return rows;
    }

    [Fact]
    public async Task A_key_is_added_listed_replaced_and_removed_and_its_plaintext_is_nowhere_but_in_the_sealed_form()
    {
        var organizationId = await OrganizationIdAsync();
        var streamId = ProviderKey.StreamIdFor(organizationId, "openai");
        var first = NewProviderKey("sk-proj-");
        var second = NewProviderKey("sk-proj-");
        using var client = fixture.Client();
        await using var changes = await EventProbe<ByokKeyChanged>.StartAsync();

        using var created = await PutAsync(client, "openai", first);
        var createdBody = await created.Content.ReadAsStringAsync();
        var entry = await created.ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal("openai", entry["provider"]!.GetValue<string>());
        Assert.Equal("..." + first[^4..], entry["hint"]!.GetValue<string>());
        Assert.Equal("k2", entry["encryption_key_id"]!.GetValue<string>());
        Assert.Equal(1, entry["version"]!.GetValue<long>());
        Assert.Null(entry["api_key"]);
        Assert.Equal("\"1\"", created.Headers.ETag!.Tag);

        using var replaced = await PutAsync(client, "openai", second);
        var replacedEntry = await replaced.ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, replacedEntry["version"]!.GetValue<long>());
        Assert.Equal("..." + second[^4..], replacedEntry["hint"]!.GetValue<string>());
        Assert.Equal(entry["created_at"]!.GetValue<DateTime>(), replacedEntry["created_at"]!.GetValue<DateTime>());

        var listText = await client.GetStringAsync("v1/manage/byok");
        var list = JsonNode.Parse(listText)!["data"]!.AsArray();
        Assert.Equal("..." + second[^4..], Assert.Single(list, e => e!["provider"]!.GetValue<string>() == "openai")!["hint"]!.GetValue<string>());

        // The router's snapshot: sealed, and it opens (with the contract's description) to the current key.
        using var internalClient = fixture.Host.CreateClient();
        internalClient.DefaultRequestHeaders.Authorization = new("Bearer", TestServers.InternalToken);
        var internalText = await internalClient.GetStringAsync("internal/byok");
        var sealedKey = System.Text.Json.JsonSerializer.Deserialize<ByokKey[]>(internalText, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!
            .Single(k => k.OrganizationId == organizationId && k.Provider == "openai");
        Assert.Equal(second, Open(sealedKey, fixture.MasterKey2));

        var published = await changes.WaitForAsync(c => c.OrganizationId == organizationId && c.Version == 2, TimeSpan.FromSeconds(30));
        Assert.Equal(second, Open(published.Key!, fixture.MasterKey2));

        var events = await RowsAsync("SELECT data::text || metadata::text FROM management.events WHERE stream_id = @stream", organizationId, streamId);
        Assert.Equal(2, events.Count);
        var readModel = await RowsAsync("SELECT row_to_json(b)::text FROM management.byok_keys b WHERE organization_id = @org AND provider = 'openai'", organizationId);
        Assert.Single(readModel);
        using var deleted = await client.DeleteAsync("v1/manage/byok/openai");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        var removal = await changes.WaitForAsync(c => c.OrganizationId == organizationId && c.Version == 3, TimeSpan.FromSeconds(30));
        Assert.True(removal.Removed);
        Assert.Null(removal.Key);

        Assert.DoesNotContain(JsonNode.Parse(await client.GetStringAsync("v1/manage/byok"))!["data"]!.AsArray(), e => e!["provider"]!.GetValue<string>() == "openai");
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync("v1/manage/byok/openai")).StatusCode);
        Assert.Empty(await RowsAsync("SELECT row_to_json(b)::text FROM management.byok_keys b WHERE organization_id = @org AND provider = 'openai'", organizationId));

        foreach (var secret in new[] { first, second })
        {
            foreach (var place in new[] { createdBody, listText, internalText }.Concat(events).Concat(readModel).Concat(fixture.Logs.Lines))
                Assert.DoesNotContain(secret, place);
            // Also not as bytes of the UTF-8 text in any stored column (bytea shows up as hex in row_to_json).
            var hex = Convert.ToHexString(Encoding.UTF8.GetBytes(secret)).ToLowerInvariant();
            Assert.All(readModel.Concat(events), row => Assert.DoesNotContain(hex, row));
        }
        Assert.NotEmpty(fixture.Logs.Lines);
    }

    [Fact]
    public async Task Providers_and_keys_are_validated_with_field_level_problems_that_never_echo_the_key()
    {
        using var client = fixture.Client();

        var unknown = await (await PutAsync(client, "mistral", NewProviderKey("mk-"))).ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("openai, anthropic, google, xai", unknown["errors"]!["provider"]![0]!.GetValue<string>());

        var missing = await (await client.PutAsJsonAsync("v1/manage/byok/anthropic", new { })).ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(missing["errors"]!["api_key"]);

        const string tooShort = "sk-short";
        using var shortResponse = await PutAsync(client, "anthropic", tooShort);
        var shortText = await shortResponse.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, shortResponse.StatusCode);
        Assert.Contains("api_key", shortText);
        Assert.DoesNotContain(tooShort, shortText);

        var spaced = await (await PutAsync(client, "anthropic", "sk-ant with a space in it")).ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(spaced["errors"]!["api_key"]);

        Assert.Equal(HttpStatusCode.BadRequest, (await client.DeleteAsync("v1/manage/byok/bedrock")).StatusCode);
        // Whatever another test left: once removed, removing again is "not found".
        await client.DeleteAsync("v1/manage/byok/xai");
        await (await client.DeleteAsync("v1/manage/byok/xai")).ReadProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Only_keys_with_manage_write_may_see_or_change_own_keys()
    {
        using var admin = fixture.Client();
        var reader = (await admin.CreateKeyAsync(new { name = "reader", permissions = new[] { "manage_read" } }))["key"]!.GetValue<string>();
        var chat = (await admin.CreateKeyAsync(new { name = "chat" }))["key"]!.GetValue<string>();

        using var readerClient = fixture.Client(reader);
        await (await readerClient.GetAsync("v1/manage/byok")).ReadProblemAsync(HttpStatusCode.Forbidden);
        await (await PutAsync(readerClient, "google", NewProviderKey("AIza"))).ReadProblemAsync(HttpStatusCode.Forbidden);
        using var chatClient = fixture.Client(chat);
        await (await chatClient.GetAsync("v1/manage/byok")).ReadProblemAsync(HttpStatusCode.Forbidden);
        using var anonymous = fixture.Host.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("v1/manage/byok")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("internal/byok")).StatusCode);
    }

    [Fact]
    public async Task A_stale_if_match_is_a_conflict()
    {
        using var client = fixture.Client();
        (await PutAsync(client, "google", NewProviderKey("AIza"))).EnsureSuccessStatusCode();
        var current = JsonNode.Parse(await client.GetStringAsync("v1/manage/byok"))!["data"]!.AsArray()
            .Single(e => e!["provider"]!.GetValue<string>() == "google")!["version"]!.GetValue<long>();

        using var stale = new HttpRequestMessage(HttpMethod.Put, "v1/manage/byok/google") { Content = JsonContent.Create(new { api_key = NewProviderKey("AIza") }) };
        stale.Headers.TryAddWithoutValidation("If-Match", $"\"{current - 1}\"");
        await (await client.SendAsync(stale)).ReadProblemAsync(HttpStatusCode.Conflict);

        using var fresh = new HttpRequestMessage(HttpMethod.Delete, "v1/manage/byok/google");
        fresh.Headers.TryAddWithoutValidation("If-Match", $"\"{current}\"");
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(fresh)).StatusCode);
    }

    [Fact]
    public async Task Rebuilding_projections_from_the_log_gives_the_same_byok_rows()
    {
        var organizationId = await OrganizationIdAsync();
        using var client = fixture.Client();
        (await PutAsync(client, "xai", NewProviderKey("xai-"))).EnsureSuccessStatusCode();
        (await PutAsync(client, "xai", NewProviderKey("xai-"))).EnsureSuccessStatusCode();
        (await PutAsync(client, "anthropic", NewProviderKey("sk-ant-"))).EnsureSuccessStatusCode();
        const string sql = "SELECT row_to_json(b)::text FROM management.byok_keys b WHERE organization_id = @org ORDER BY provider";
        var before = await RowsAsync(sql, organizationId);
        Assert.True(before.Count >= 2);

        // Only this feature's projection: a full rebuild of the shared test database would hold the append lock for long.
        await new ProjectionRebuilder(
                fixture.Host.Services.GetRequiredService<Npgsql.NpgsqlDataSource>(),
                [fixture.Host.Services.GetServices<IProjection>().OfType<ByokKeyProjection>().Single()],
                Microsoft.Extensions.Logging.Abstractions.NullLogger<ProjectionRebuilder>.Instance)
            .RebuildAsync(default);

        Assert.Equal(before, await RowsAsync(sql, organizationId));
    }

    [Fact]
    public async Task Reseal_moves_keys_sealed_before_a_rotation_onto_the_active_master_key()
    {
        var organizationId = await OrganizationIdAsync();
        var streamId = ProviderKey.StreamIdFor(organizationId, "google");
        var apiKey = NewProviderKey("AIza");
        // A key written while k1 was the active master key.
        var beforeRotation = new ByokCipher(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Byok:MasterKeys:k1"] = fixture.MasterKey1, ["Byok:ActiveKeyId"] = "k1",
        }).Build());
        var store = fixture.Host.Services.GetRequiredService<EventStore>();
        var version = (await store.ReadStreamAsync(streamId, default)).Count;
        await store.AppendAsync(new StreamAppend(streamId, ProviderKey.StreamType, version,
            ProviderKey.Set(organizationId, "google", beforeRotation.Seal(organizationId, "google", apiKey), ProviderKey.HintOf(apiKey), null)),
            new EventMetadata("test"), default);
        using var client = fixture.Client();
        JsonNode Google(JsonNode list) => list["data"]!.AsArray().Single(e => e!["provider"]!.GetValue<string>() == "google")!;
        Assert.Equal("k1", Google(JsonNode.Parse(await client.GetStringAsync("v1/manage/byok"))!)["encryption_key_id"]!.GetValue<string>());

        var resealed = Google(await (await client.PostAsync("v1/manage/byok/reseal", null)).ReadJsonAsync(HttpStatusCode.OK));

        Assert.Equal("k2", resealed["encryption_key_id"]!.GetValue<string>());
        Assert.Equal(version + 2, resealed["version"]!.GetValue<long>());
        Assert.Equal("..." + apiKey[^4..], resealed["hint"]!.GetValue<string>());
        using var internalClient = fixture.Host.CreateClient();
        internalClient.DefaultRequestHeaders.Authorization = new("Bearer", TestServers.InternalToken);
        var snapshot = System.Text.Json.JsonSerializer.Deserialize<ByokKey[]>(await internalClient.GetStringAsync("internal/byok"),
            new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;
        Assert.Equal(apiKey, Open(snapshot.Single(k => k.OrganizationId == organizationId && k.Provider == "google"), fixture.MasterKey2));
        // Nothing left on k1: a second reseal changes nothing.
        var again = Google(await (await client.PostAsync("v1/manage/byok/reseal", null)).ReadJsonAsync(HttpStatusCode.OK));
        Assert.Equal(version + 2, again["version"]!.GetValue<long>());
    }

    [Fact]
    public async Task Without_a_master_key_own_keys_cannot_be_stored()
    {
        var adminKey = ApiKeySecret.Generate();
        await using var host = await ServiceHost.StartAsync(Requesty.Management.ManagementApp.Build, TestServers.ServiceArgs(
            $"--Bootstrap:AdminKey={adminKey}",
            $"--Bootstrap:OrganizationName=No byok {Guid.NewGuid():N}",
            $"--RabbitMq:QueuePrefix=test-{Guid.NewGuid():N}-",
            "--RabbitMq:TemporaryQueues=true"));
        using var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", adminKey);

        var problem = await (await PutAsync(client, "openai", NewProviderKey("sk-"))).ReadProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Contains("Byok:MasterKeys", problem["detail"]!.GetValue<string>());
    }

    private static string Open(ByokKey key, string masterKey)
    {
        var ciphertext = Convert.FromBase64String(key.Ciphertext);
        var plaintext = new byte[ciphertext.Length];
        using var aes = new AesGcm(Convert.FromBase64String(masterKey), ByokEncryption.TagBytes);
        aes.Decrypt(Convert.FromBase64String(key.Nonce), ciphertext, Convert.FromBase64String(key.Tag), plaintext,
            ByokEncryption.AssociatedData(key.OrganizationId, key.Provider));
        return Encoding.UTF8.GetString(plaintext);
    }
}
