using System.Net;
using Requesty.Contracts.Events;
using Requesty.McpGateway.Tests.Support;
using Requesty.TestKit;
using static Requesty.McpGateway.Tests.Integration.RequestCompletedFactory;

namespace Requesty.McpGateway.Tests.Integration;

/// <summary>Executions are linked to the model request whose tool call they answer (Application/ExecutionLinks).</summary>
[Collection(McpGatewayCollection.Name)]
public sealed class ExecutionLinkTests(McpGatewayFixture fixture)
{
    private readonly GatewayApi _api = new(fixture);

    [Fact]
    public async Task A_client_id_equal_to_the_model_tool_call_id_links_the_execution()
    {
        await using var probe = await EventProbe<McpToolCalled>.StartAsync();
        var (org, name, _) = await _api.RegisterEverythingAsync("streamable-http", "echo");
        var toolCallId = $"call_{Guid.NewGuid():N}";
        // Also another request that asked for the tool once: the exact id match wins over the name rule.
        var other = Create(org, Call($"{name}__echo", 10));
        var request = Create(org, Call($"{name}__echo", 20, toolCallId), Call("get_weather", 5, "call_weather"));
        await fixture.PublishAsync(request, other);
        await fixture.WaitUntilProcessedAsync(request.RequestId);
        await fixture.WaitUntilProcessedAsync(other.RequestId);

        var status = await CallRawAsync(org, name, $"\"{toolCallId}\"");
        var called = await probe.WaitForAsync(m => m.OrganizationId == org, TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(toolCallId, called.ClientCallId);
        Assert.Equal(request.RequestId, called.LinkedRequestId);
        Assert.Equal(request.RequestId, (await ExecutionAsync(org)).GetProperty("linked_request_id").GetGuid());
    }

    [Fact]
    public async Task A_call_right_after_a_request_that_asked_for_that_tool_once_is_linked_by_name()
    {
        await using var probe = await EventProbe<McpToolCalled>.StartAsync();
        var (org, name, _) = await _api.RegisterEverythingAsync("streamable-http", "echo");
        var request = Create(org, Call($"{name}__echo", 20, "toolu_unrelated_id"));
        await fixture.PublishAsync(request);
        await fixture.WaitUntilProcessedAsync(request.RequestId);
        await using var client = await _api.ConnectAsync(fixture.Management.IssueKey(org));

        await GatewayApi.CallTextAsync(client, $"{name}__echo", new Dictionary<string, object?> { ["message"] = "by name" });
        await GatewayApi.CallTextAsync(client, $"{name}__echo", new Dictionary<string, object?> { ["message"] = "second" });

        var first = await probe.WaitForAsync(m => m.OrganizationId == org && m.LinkedRequestId is not null, TimeSpan.FromSeconds(30));
        var both = await Eventually.GetAsync(() => Task.FromResult(
            probe.Received.Count(m => m.OrganizationId == org) == 2 ? probe.Received.Where(m => m.OrganizationId == org).ToList() : null),
            TimeSpan.FromSeconds(30), "both events");
        Assert.Equal(request.RequestId, first.LinkedRequestId);
        // One model tool call answers one execution: the second call is not linked to the same request.
        Assert.Single(both, m => m.LinkedRequestId is not null);
    }

    [Fact]
    public async Task A_request_that_asked_for_the_tool_twice_is_ambiguous_and_not_linked_by_name()
    {
        await using var probe = await EventProbe<McpToolCalled>.StartAsync();
        var (org, name, _) = await _api.RegisterEverythingAsync("streamable-http", "echo");
        var request = Create(org, Call($"{name}__echo", 20), Call($"{name}__echo", 22));
        await fixture.PublishAsync(request);
        await fixture.WaitUntilProcessedAsync(request.RequestId);
        await using var client = await _api.ConnectAsync(fixture.Management.IssueKey(org));

        await GatewayApi.CallTextAsync(client, $"{name}__echo", new Dictionary<string, object?> { ["message"] = "which one?" });
        var called = await probe.WaitForAsync(m => m.OrganizationId == org, TimeSpan.FromSeconds(30));

        Assert.Null(called.LinkedRequestId);
    }

    [Fact]
    public async Task An_execution_that_ran_before_its_request_was_consumed_is_linked_when_the_event_arrives()
    {
        var (org, name, _) = await _api.RegisterEverythingAsync("streamable-http", "echo");
        var toolCallId = $"call_{Guid.NewGuid():N}";
        var completedAt = DateTime.UtcNow.AddSeconds(-1);

        Assert.Equal(HttpStatusCode.OK, await CallRawAsync(org, name, $"\"{toolCallId}\""));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await ExecutionAsync(org)).GetProperty("linked_request_id").ValueKind);
        var request = RequestCompletedSamples.Create(org, completedAt: completedAt, toolCalls: [Call($"{name}__echo", 20, toolCallId)]);
        await fixture.PublishAsync(request);
        await fixture.WaitUntilProcessedAsync(request.RequestId);

        Assert.Equal(request.RequestId, (await ExecutionAsync(org)).GetProperty("linked_request_id").GetGuid());
    }

    private async Task<HttpStatusCode> CallRawAsync(Guid org, string server, string jsonRpcId)
    {
        var (status, body) = await _api.PostMcpAsync($$"""
            {"jsonrpc":"2.0","id":{{jsonRpcId}},"method":"tools/call","params":{"name":"{{server}}__echo","arguments":{"message":"linked"} } }
            """, fixture.Management.IssueKey(org));
        Assert.Contains("linked", body);
        return status;
    }

    private async Task<System.Text.Json.JsonElement> ExecutionAsync(Guid org)
    {
        var (status, executions) = await _api.SendAsync(HttpMethod.Get, $"v1/mcp/executions?org_id={org}");
        Assert.Equal(HttpStatusCode.OK, status);
        return Assert.Single(executions.EnumerateArray());
    }
}
