using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Requesty.Management.Tests.Messaging;
using Requesty.Management.Tests.Support;
using Requesty.TestKit;

namespace Requesty.Management.Tests.Policies;

public sealed class PoliciesApiTests(ManagementHostFixture fixture) : IClassFixture<ManagementHostFixture>
{
    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..24];

    private static object Fallback(string name, params string[] models) => new
    {
        name,
        type = "fallback",
        entries = models.Select(m => new { model = m, retries = 1 }).ToArray(),
    };

    [Fact]
    public async Task Create_get_list_replace_and_delete_a_policy()
    {
        using var client = fixture.Client();
        var name = Unique("sonnet");
        var created = await (await client.PostAsJsonAsync("v1/manage/policies", new
        {
            name,
            type = "loadbalance",
            entries = new object[]
            {
                new { model = "anthropic/claude-sonnet-4-5", weight = 70, key_source = "platform" },
                new { model = "openai/gpt-4o-mini", weight = 30, retries = 2 },
            },
        })).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(name, created["name"]!.GetValue<string>());
        Assert.Equal("loadbalance", created["type"]!.GetValue<string>());
        Assert.Equal(70m, created["entries"]![0]!["weight"]!.GetValue<decimal>());
        Assert.Equal(2, created["entries"]![1]!["retries"]!.GetValue<int>());
        Assert.Equal("platform", created["entries"]![1]!["key_source"]!.GetValue<string>());
        Assert.Null(created["api_key_id"]);
        Assert.Equal(1, created["version"]!.GetValue<long>());

        var get = await client.GetAsync($"v1/manage/policies/{name}");
        Assert.Equal("\"1\"", get.Headers.ETag?.ToString());
        Assert.Equal(name, (await get.ReadJsonAsync(HttpStatusCode.OK))["name"]!.GetValue<string>());

        var list = await (await client.GetAsync("v1/manage/policies")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Contains(list["data"]!.AsArray(), p => p!["name"]!.GetValue<string>() == name);

        // Creating the same name again is a conflict; PUT replaces it.
        var duplicate = await client.PostAsJsonAsync("v1/manage/policies", Fallback(name, "openai/gpt-4o"));
        await duplicate.ReadProblemAsync(HttpStatusCode.Conflict);

        var replaced = await (await client.PutAsJsonAsync($"v1/manage/policies/{name}", Fallback(name, "openai/gpt-4o", "google/gemini-2.5-flash")))
            .ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("fallback", replaced["type"]!.GetValue<string>());
        Assert.Equal(2, replaced["entries"]!.AsArray().Count);
        Assert.Equal(2, replaced["version"]!.GetValue<long>());

        // A stale If-Match is refused.
        using var stale = new HttpRequestMessage(HttpMethod.Delete, $"v1/manage/policies/{name}");
        stale.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));
        await (await client.SendAsync(stale)).ReadProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"v1/manage/policies/{name}")).StatusCode);
        await (await client.GetAsync($"v1/manage/policies/{name}")).ReadProblemAsync(HttpStatusCode.NotFound);
        await (await client.DeleteAsync($"v1/manage/policies/{name}")).ReadProblemAsync(HttpStatusCode.NotFound);

        // The name can be used again after a delete (PUT creates).
        var recreated = await client.PutAsJsonAsync($"v1/manage/policies/{name}", Fallback(name, "openai/gpt-4o"));
        Assert.Equal(4, (await recreated.ReadJsonAsync(HttpStatusCode.Created))["version"]!.GetValue<long>());
    }

    [Fact]
    public async Task Invalid_definitions_get_field_level_problem_details()
    {
        using var client = fixture.Client();
        var response = await client.PostAsJsonAsync("v1/manage/policies", new
        {
            name = "bad name!",
            type = "roundrobin",
            entries = new object[] { new { model = "gpt", retries = 11, weight = 0, key_source = "mine" } },
        });
        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        var errors = problem["errors"]!.AsObject();
        var all = string.Join(" | ", errors.Select(e => $"{e.Key}: {e.Value}"));
        Assert.True(errors.ContainsKey("name"), all);
        Assert.True(errors.ContainsKey("type"), all);
        Assert.Contains("retries must be between 0 and 10", all);
        Assert.Contains("weight must be greater than 0", all);
        Assert.Contains("key_source must be one of", all);
        Assert.Contains("model must be a model id", all);
        Assert.True(errors.ContainsKey("entries[0].retries"), all);

        var empty = await client.PostAsJsonAsync("v1/manage/policies", new { name = Unique("empty"), type = "fallback", entries = Array.Empty<object>() });
        Assert.True((await empty.ReadProblemAsync(HttpStatusCode.BadRequest))["errors"]!.AsObject().ContainsKey("entries"));

        var unknownReference = await client.PostAsJsonAsync("v1/manage/policies", Fallback(Unique("ref"), "policy/does-not-exist"));
        var unknown = await unknownReference.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("policy/does-not-exist does not exist", unknown["errors"]!["entries"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Nesting_is_allowed_and_cycles_are_refused_with_the_cycle_named()
    {
        using var client = fixture.Client();
        var a = Unique("a");
        var b = Unique("b");
        var c = Unique("c");
        (await client.PostAsJsonAsync("v1/manage/policies", Fallback(a, "openai/gpt-4o-mini"))).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync("v1/manage/policies", Fallback(b, $"policy/{a}"))).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync("v1/manage/policies", new
        {
            name = c,
            type = "loadbalance",
            entries = new object[] { new { model = $"policy/{b}", weight = 1 }, new { model = "openai/gpt-4o", weight = 3 } },
        })).EnsureSuccessStatusCode();

        var cycle = await client.PutAsJsonAsync($"v1/manage/policies/{a}", Fallback(a, "openai/gpt-4o", $"policy/{c}"));
        var problem = await cycle.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal($"The policy would create a cycle: policy/{a} -> policy/{c} -> policy/{b} -> policy/{a}.",
            problem["errors"]!["entries"]![0]!.GetValue<string>());

        var self = await client.PutAsJsonAsync($"v1/manage/policies/{b}", Fallback(b, $"policy/{b}"));
        Assert.Contains($"policy/{b} -> policy/{b}", (await self.ReadProblemAsync(HttpStatusCode.BadRequest))["errors"]!["entries"]![0]!.GetValue<string>());

        // Still the old definition, and a referenced policy cannot be deleted.
        var stillA = await (await client.GetAsync($"v1/manage/policies/{a}")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, stillA["version"]!.GetValue<long>());
        var inUse = await (await client.DeleteAsync($"v1/manage/policies/{a}")).ReadProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains($"policy/{b}", inUse["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Two_concurrent_saves_cannot_close_a_cycle_together()
    {
        using var client = fixture.Client();
        var a = Unique("ca");
        var b = Unique("cb");
        (await client.PostAsJsonAsync("v1/manage/policies", Fallback(a, "openai/gpt-4o"))).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync("v1/manage/policies", Fallback(b, "openai/gpt-4o-mini"))).EnsureSuccessStatusCode();

        var responses = await Task.WhenAll(
            client.PutAsJsonAsync($"v1/manage/policies/{a}", Fallback(a, $"policy/{b}")),
            client.PutAsJsonAsync($"v1/manage/policies/{b}", Fallback(b, $"policy/{a}")));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.BadRequest], responses.Select(r => r.StatusCode).Order());
        var refused = responses.Single(r => r.StatusCode == HttpStatusCode.BadRequest);
        Assert.Contains("cycle", (await refused.ReadProblemAsync(HttpStatusCode.BadRequest))["errors"]!["entries"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Internal_route_and_integration_events_carry_the_policy()
    {
        await using var upserts = await RabbitMqProbe.BindAsync("Requesty.Contracts.Management:PolicyUpserted");
        await using var deletions = await RabbitMqProbe.BindAsync("Requesty.Contracts.Management:PolicyDeleted");
        using var client = fixture.Client();
        var name = Unique("pub");
        (await client.PostAsJsonAsync("v1/manage/policies", Fallback(name, "openai/gpt-4o-mini", "anthropic/claude-sonnet-4-5"))).EnsureSuccessStatusCode();

        var upserted = await upserts.WaitForAsync(m => m["policy"]?["name"]?.GetValue<string>() == name, TimeSpan.FromSeconds(20));
        Assert.Equal("fallback", upserted["policy"]!["type"]!.GetValue<string>());
        Assert.Equal("anthropic/claude-sonnet-4-5", upserted["policy"]!["entries"]![1]!["model"]!.GetValue<string>());
        Assert.Equal(1, upserted["policy"]!["version"]!.GetValue<long>());

        using var internalClient = fixture.Host.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await internalClient.GetAsync("internal/policies")).StatusCode);
        internalClient.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestServers.InternalToken);
        var all = JsonNode.Parse(await internalClient.GetStringAsync("internal/policies"))!.AsArray();
        var mine = Assert.Single(all, p => p!["name"]!.GetValue<string>() == name)!;
        Assert.Equal(upserted["policy"]!["organizationId"]!.GetValue<Guid>(), mine["organizationId"]!.GetValue<Guid>());
        Assert.Equal(1, mine["entries"]![0]!["retries"]!.GetValue<int>());

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"v1/manage/policies/{name}")).StatusCode);
        var deleted = await deletions.WaitForAsync(m => m["name"]?.GetValue<string>() == name, TimeSpan.FromSeconds(20));
        Assert.Equal(2, deleted["version"]!.GetValue<long>());
    }
}
