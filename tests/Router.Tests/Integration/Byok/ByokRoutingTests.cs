using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Requesty.Contracts.Events;
using Requesty.Contracts.Management;
using Requesty.Router.Tests.Unit.Byok;
using Requesty.TestKit;

namespace Requesty.Router.Tests.Integration.Byok;

/// <summary>
/// Policy entries with key_source byok / platform_then_byok end to end: the upstream request carries the
/// organisation's own key, the attempt's key source is in the headers and in RequestCompleted, and a
/// BYOK-served request costs the platform nothing while its provider cost is kept.
/// </summary>
public sealed class ByokRoutingTests(ByokRouterFixture fixture) : IClassFixture<ByokRouterFixture>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        using var sim = fixture.Simulator.CreateClient();
        (await sim.DeleteAsync("__sim/behaviour")).EnsureSuccessStatusCode();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<HttpResponseMessage> ChatAsync(string model)
    {
        using var client = fixture.CreateRouterClient();
        return await client.PostAsJsonAsync("v1/chat/completions", new JsonObject
        {
            ["model"] = model,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "Hello with my own key" }),
        });
    }

    private Task<RequestCompleted> EventOf(HttpResponseMessage response)
    {
        var id = Guid.Parse(response.Headers.GetValues("x-request-id").Single());
        return fixture.Events.WaitForAsync(e => e.RequestId == id, TimeSpan.FromSeconds(30));
    }

    private static string Header(HttpResponseMessage response, string name) => response.Headers.GetValues(name).Single();

    /// <summary>The <paramref name="header"/> of the last <paramref name="count"/> requests the simulator received, oldest first.</summary>
    private async Task<List<string?>> UpstreamAuthorizationsAsync(int count, string header = "authorization")
    {
        using var sim = fixture.Simulator.CreateClient();
        var requests = JsonNode.Parse(await sim.GetStringAsync($"__sim/requests?limit={count}"))!.AsArray();
        return requests.Select(r => Flatten(r!["headers"]!.AsObject()
            .FirstOrDefault(h => string.Equals(h.Key, header, StringComparison.OrdinalIgnoreCase)).Value)).ToList();
    }

    private static string? Flatten(JsonNode? value) => value is JsonArray values ? string.Join(",", values.Select(v => v!.ToString())) : value?.ToString();

    [Fact]
    public async Task A_byok_entry_on_the_messages_endpoint_sends_the_own_anthropic_key_as_x_api_key()
    {
        using var client = fixture.CreateRouterClient();
        using var response = await client.PostAsJsonAsync("v1/messages", new JsonObject
        {
            ["model"] = "policy/own-claude",
            ["max_tokens"] = 64,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "Hello with my own key" }),
        });

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Assert.Equal("byok", Header(response, "x-requesty-key-source"));
        Assert.Equal([fixture.OwnAnthropicKey], await UpstreamAuthorizationsAsync(1, "x-api-key"));
        var completed = await EventOf(response);
        Assert.Equal("byok", Assert.Single(completed.Attempts).KeySource);
        Assert.Equal(0m, completed.CostUsd);
        Assert.True(completed.ProviderCostUsd > 0);
    }

    [Fact]
    public async Task A_key_added_by_a_ByokKeyChanged_event_is_used_by_the_next_request()
    {
        using (var before = await ChatAsync("policy/own-grok"))
            Assert.Equal(HttpStatusCode.BadRequest, before.StatusCode);

        var ownXaiKey = "xai-org-own-" + Guid.NewGuid().ToString("N");
        var bus = await TestBus.StartAsync();
        try
        {
            await bus.Publish(new ByokKeyChanged
            {
                OrganizationId = fixture.Key.OrganizationId, Provider = "xai", Version = 1, OccurredAt = DateTime.UtcNow,
                Key = OwnKeySealer.Seal(fixture.MasterKey, ByokRouterFixture.MasterKeyId, fixture.Key.OrganizationId, "xai", ownXaiKey),
            });
        }
        finally
        {
            await bus.StopAsync();
        }

        var served = await Eventually.GetAsync(async () =>
        {
            var response = await ChatAsync("policy/own-grok");
            if (response.IsSuccessStatusCode) return response;
            response.Dispose();
            return null;
        }, TimeSpan.FromSeconds(30), "the router to apply the ByokKeyChanged event");
        using (served)
        {
            Assert.Equal("byok", Header(served, "x-requesty-key-source"));
            Assert.Equal([$"Bearer {ownXaiKey}"], await UpstreamAuthorizationsAsync(1));
        }
    }

    [Fact]
    public async Task A_byok_entry_sends_the_organisations_own_key_upstream_and_costs_the_platform_nothing()
    {
        using var response = await ChatAsync("policy/own");
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        Assert.Equal("byok", Header(response, "x-requesty-key-source"));
        Assert.Equal([$"Bearer {fixture.OwnOpenAIKey}"], await UpstreamAuthorizationsAsync(1));

        var completed = await EventOf(response);
        Assert.Equal("byok", Assert.Single(completed.Attempts).KeySource);
        Assert.Equal(0m, completed.CostUsd);
        Assert.Equal(0m, completed.CostWithoutCacheUsd);
        Assert.True(completed.ProviderCostUsd > 0, $"provider cost {completed.ProviderCostUsd}");
        Assert.True(completed.Usage.TotalTokens > 0);
        Assert.DoesNotContain(fixture.OwnOpenAIKey, body);
    }

    [Fact]
    public async Task Platform_then_byok_falls_back_to_the_own_key_when_the_platform_key_fails()
    {
        using (var sim = fixture.Simulator.CreateClient())
            (await sim.PutAsJsonAsync("__sim/behaviour", new { provider = "openai", model = "gpt-4o", status = 500, count = 1 })).EnsureSuccessStatusCode();

        using var response = await ChatAsync("policy/platform-then-own");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("byok", Header(response, "x-requesty-key-source"));
        Assert.Equal("2", Header(response, "x-requesty-attempts"));
        Assert.Equal(["Bearer simulator-key", $"Bearer {fixture.OwnOpenAIKey}"], await UpstreamAuthorizationsAsync(2));

        var completed = await EventOf(response);
        Assert.Equal([("platform", 500), ("byok", 200)], completed.Attempts.Select(a => (a.KeySource, a.HttpStatus)));
        Assert.Equal(0m, completed.CostUsd);
        Assert.True(completed.ProviderCostUsd > 0);
    }

    [Fact]
    public async Task A_byok_entry_without_an_own_key_for_its_provider_is_skipped_with_the_reason()
    {
        using var response = await ChatAsync("policy/own-gemini-then-platform");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("openai/gpt-4o-mini", Header(response, "x-requesty-model"));
        Assert.Equal("platform", Header(response, "x-requesty-key-source"));
        var completed = await EventOf(response);
        Assert.Equal("platform", Assert.Single(completed.Attempts).KeySource);
        Assert.True(completed.CostUsd > 0);
        Assert.Equal(completed.CostUsd, completed.ProviderCostUsd);

        using var client = fixture.CreateRouterClient();
        var explained = await (await client.PostAsJsonAsync("v1/route/explain", new JsonObject
        {
            ["model"] = "policy/own-gemini-then-platform",
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "hi" }),
        })).Content.ReadFromJsonAsync<JsonObject>();
        var first = explained!["candidates"]![0]!;
        Assert.Equal("byok", first["key_source"]!.GetValue<string>());
        Assert.Equal("no own key (BYOK) configured", first["skip_reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_direct_model_request_uses_the_platform_key()
    {
        using var response = await ChatAsync("openai/gpt-4o-mini");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("platform", Header(response, "x-requesty-key-source"));
        Assert.Equal(["Bearer simulator-key"], await UpstreamAuthorizationsAsync(1));
        var completed = await EventOf(response);
        Assert.Equal("platform", Assert.Single(completed.Attempts).KeySource);
        Assert.Equal(completed.CostUsd, completed.ProviderCostUsd);
    }
}
