using System.ClientModel.Primitives;
using System.Text.Json.Nodes;
using Anthropic;
using OpenAI;
using Requesty.Contracts.Events;
using Requesty.TestKit;

namespace Requesty.Router.Tests.Integration;

/// <summary>
/// A router harness and a probe of the RequestCompleted events on the real RabbitMQ, started before the probe's
/// owner runs and disposed after. Test classes inherit it (one per test) or take it as a class fixture (one per class).
/// </summary>
public class RouterWithEvents : IAsyncLifetime
{
    public RouterHarness Harness { get; private set; } = null!;
    public EventProbe<RequestCompleted> Events { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Events = await EventProbe<RequestCompleted>.StartAsync();
        Harness = await RouterHarness.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Harness.DisposeAsync();
        await Events.DisposeAsync();
    }

    /// <summary>The RequestCompleted event of the request that got this response (by its x-request-id).</summary>
    public Task<RequestCompleted> PublishedAsync(PipelineResponse response) =>
        PublishedAsync(response.Headers.TryGetValue("x-request-id", out var id) ? id! : throw new InvalidOperationException("no x-request-id"));

    public Task<RequestCompleted> PublishedAsync(HttpResponseMessage response) =>
        PublishedAsync(response.Headers.GetValues("x-request-id").Single());

    public Task<RequestCompleted> PublishedAsync(string requestId) =>
        Events.WaitForAsync(e => e.RequestId == Guid.Parse(requestId));

    public Task<JsonNode> LastUpstreamRequestAsync() => SimulatorRequests.LastAsync(Harness.Simulator);

    public async Task<JsonNode> LastUpstreamBodyAsync() => (await LastUpstreamRequestAsync())["body"]!;
}

/// <summary>What the provider simulator received, from its control API.</summary>
public static class SimulatorRequests
{
    /// <summary>The last request the simulator received (method, path, headers, body).</summary>
    public static async Task<JsonNode> LastAsync(ServiceHost simulator)
    {
        using var sim = simulator.CreateClient();
        return JsonNode.Parse(await sim.GetStringAsync("__sim/requests?limit=1"))!.AsArray()[^1]!;
    }
}

/// <summary>The official SDK clients pointed at a router harness, with their own retries off.</summary>
public static class RouterClients
{
    public static OpenAIClientOptions OpenAIOptions(this RouterHarness harness) => new()
    {
        Endpoint = new Uri(harness.Router.BaseAddress, "v1"),
        RetryPolicy = new ClientRetryPolicy(0),
    };

    public static AnthropicClient AnthropicClient(this RouterHarness harness) => new()
    {
        BaseUrl = harness.Router.BaseAddress.ToString().TrimEnd('/'),
        ApiKey = harness.ApiKey,
        MaxRetries = 0,
    };
}
