using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MassTransit;
using Requesty.Contracts.Events;
using Requesty.Contracts.Management;
using Requesty.TestKit;

namespace Requesty.Router.Tests.Integration.Budget;

/// <summary>
/// Spend blocks published on the real RabbitMQ reach the router, which then refuses the caller before any
/// provider call (429 insufficient_quota, in OpenAI's or Anthropic's format) except for zero-cost models.
/// </summary>
public sealed class BudgetEnforcementTests : IAsyncLifetime
{
    private const string FreeModel = "openai/free-local-model";
    private RouterHarness _harness = null!;
    private EventProbe<RequestCompleted> _events = null!;
    private IBusControl _bus = null!;

    public async Task InitializeAsync()
    {
        _events = await EventProbe<RequestCompleted>.StartAsync();
        _bus = await TestBus.StartAsync();
        // A model added by configuration without prices is free of charge.
        _harness = await RouterHarness.StartAsync(extraArgs: [$"--Providers:openai:Models:0={FreeModel["openai/".Length..]}"]);
        using var probe = _harness.Router.CreateClient();
        await Eventually.GetAsync(async () => (await probe.GetAsync("readyz")).IsSuccessStatusCode ? "ready" : null,
            TimeSpan.FromSeconds(30), "the router to load keys and policies");
    }

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
        await _bus.StopAsync();
        await _events.DisposeAsync();
    }

    [Fact]
    public async Task A_blocked_key_gets_429_insufficient_quota_without_an_upstream_call_until_the_block_is_cleared()
    {
        using var client = _harness.CreateRouterClient();
        Assert.Equal(HttpStatusCode.OK, (await ChatAsync(client, "openai/gpt-4o-mini")).StatusCode);

        await PublishAsync(Reached(SpendScopes.ApiKey, _harness.Key.ApiKeyId, version: 1));
        var refused = await Eventually.GetAsync(async () =>
        {
            var response = await ChatAsync(client, "openai/gpt-4o-mini");
            return response.StatusCode == HttpStatusCode.TooManyRequests ? response : null;
        }, TimeSpan.FromSeconds(15), "the key to be refused");

        var error = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal("insufficient_quota", error["type"]!.GetValue<string>());
        Assert.Equal("insufficient_quota", error["code"]!.GetValue<string>());
        Assert.Null(error["param"]);
        Assert.Contains("spend limit", error["message"]!.GetValue<string>());

        var upstreamBefore = await UpstreamRequestCountAsync();
        var again = await ChatAsync(client, "openai/gpt-4o-mini");
        Assert.Equal(HttpStatusCode.TooManyRequests, again.StatusCode);
        Assert.Equal(upstreamBefore, await UpstreamRequestCountAsync());

        var requestId = Guid.Parse(again.Headers.GetValues("x-request-id").Single());
        var published = await _events.WaitForAsync(e => e.RequestId == requestId, TimeSpan.FromSeconds(30));
        Assert.Equal("error", published.Status);
        Assert.Equal("insufficient_quota", published.ErrorKind);
        Assert.Equal(429, published.HttpStatus);
        Assert.Equal(0m, published.CostUsd);
        Assert.Equal("openai/gpt-4o-mini", published.RequestedModel);
        Assert.Empty(published.Attempts);

        // Zero-cost models are never blocked.
        Assert.Equal(HttpStatusCode.OK, (await ChatAsync(client, FreeModel)).StatusCode);

        await PublishAsync(Cleared(SpendScopes.ApiKey, _harness.Key.ApiKeyId, version: 2));
        var accepted = await Eventually.GetAsync(async () =>
            (await ChatAsync(client, "openai/gpt-4o-mini")).StatusCode == HttpStatusCode.OK ? "accepted" : null,
            TimeSpan.FromSeconds(15), "the key to be accepted again");
        Assert.Equal("accepted", accepted);
    }

    [Fact]
    public async Task A_prepaid_organisation_out_of_credit_gets_an_anthropic_format_429_on_messages()
    {
        await PublishAsync(Reached(SpendScopes.Organization, _harness.Key.OrganizationId, version: 1));
        using var client = _harness.Router.CreateClient();
        client.DefaultRequestHeaders.Add("x-api-key", _harness.ApiKey);
        client.DefaultRequestHeaders.Add("anthropic-version", "2023-06-01");

        var refused = await Eventually.GetAsync(async () =>
        {
            var response = await client.PostAsJsonAsync("v1/messages", new
            {
                model = "anthropic/claude-sonnet-4-5",
                max_tokens = 50,
                messages = new[] { new { role = "user", content = "Hello" } },
            });
            return response.StatusCode == HttpStatusCode.TooManyRequests ? response : null;
        }, TimeSpan.FromSeconds(15), "the organisation to be refused");

        var body = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
        Assert.Equal("error", body["type"]!.GetValue<string>());
        Assert.Equal("rate_limit_error", body["error"]!["type"]!.GetValue<string>());
        Assert.Contains("credits", body["error"]!["message"]!.GetValue<string>());

        // Another organisation is not affected.
        using var other = _harness.Router.CreateClient();
        other.DefaultRequestHeaders.Authorization = new("Bearer", _harness.OtherOrganizationApiKey);
        Assert.Equal(HttpStatusCode.OK, (await ChatAsync(other, "openai/gpt-4o-mini")).StatusCode);
    }

    private SpendLimitReached Reached(string scope, Guid scopeId, long version) => new()
    {
        OrganizationId = _harness.Key.OrganizationId, Scope = scope, ScopeId = scopeId, Month = ThisMonth(),
        SpendUsd = 1m, LimitUsd = 1m, OccurredAt = DateTime.UtcNow, Version = version,
    };

    private SpendLimitCleared Cleared(string scope, Guid scopeId, long version) => new()
    {
        OrganizationId = _harness.Key.OrganizationId, Scope = scope, ScopeId = scopeId, Month = ThisMonth(),
        SpendUsd = 1m, LimitUsd = 10m, OccurredAt = DateTime.UtcNow, Version = version,
    };

    private static DateTime ThisMonth() => new(DateTime.UtcNow.Year, DateTime.UtcNow.Month, 1, 0, 0, 0, DateTimeKind.Utc);

    private async Task PublishAsync<T>(T message) where T : class
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _bus.Publish(message, timeout.Token);
    }

    private static Task<HttpResponseMessage> ChatAsync(HttpClient client, string model) =>
        client.PostAsJsonAsync("v1/chat/completions", new { model, messages = new[] { new { role = "user", content = "Hello budget" } } });

    private async Task<int> UpstreamRequestCountAsync()
    {
        using var sim = _harness.Simulator.CreateClient();
        return JsonNode.Parse(await sim.GetStringAsync("__sim/requests?limit=1000"))!.AsArray().Count;
    }
}
