using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Requesty.Contracts.Events;
using Requesty.TestKit;
using Microsoft.Extensions.DependencyInjection;
using Requesty.McpGateway.Infrastructure;
using static Requesty.McpGateway.Tests.Integration.RequestCompletedFactory;

namespace Requesty.McpGateway.Tests.Integration;

[Collection(McpGatewayCollection.Name)]
public sealed class ToolCallRecordingTests(McpGatewayFixture fixture)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    [Fact]
    public async Task An_event_with_two_tool_calls_stores_two_rows()
    {
        var request = Create(Guid.NewGuid(), Call("get_weather", 27, "call_1"), Call("search_docs", 112, "call_2"));

        await fixture.PublishAsync(request);
        await fixture.WaitUntilProcessedAsync(request.RequestId);

        var rows = await fixture.ToolCallRowsAsync(request.RequestId);
        Assert.Equal([(0, "get_weather", 27, "call_1"), (1, "search_docs", 112, "call_2")], rows);
    }

    [Fact]
    public async Task A_redelivered_event_still_has_two_rows()
    {
        var org = Guid.NewGuid();
        var request = Create(org, Call("get_weather", 10), Call("get_weather", 12));
        var sentinel = Create(org);

        await fixture.PublishAsync(request);
        await fixture.PublishAsync(request);
        // The gateway consumes its queue one message at a time: once the sentinel is stored,
        // both copies of the request have been handled.
        await fixture.PublishAsync(sentinel);
        await fixture.WaitUntilProcessedAsync(sentinel.RequestId);

        Assert.Equal(2, (await fixture.ToolCallRowsAsync(request.RequestId)).Count);
    }

    [Fact]
    public async Task Each_request_of_a_RequestCompletedBatch_is_stored_once_even_when_events_repeat_and_the_batch_is_redelivered()
    {
        var org = Guid.NewGuid();
        var first = Create(org, Call("get_weather", 10, "call_1"), Call("search_docs", 12, "call_2"));
        var second = Create(org, Call("search_docs", 7, "call_3"));
        var batch = new RequestCompletedBatch { Events = [first, second, first] };
        var sentinel = Create(org);

        await fixture.PublishAsync(batch);
        await fixture.PublishAsync(batch);
        // One message at a time: once the sentinel is stored, both batches have been handled.
        await fixture.PublishAsync(new RequestCompletedBatch { Events = [sentinel] });
        await fixture.WaitUntilProcessedAsync(sentinel.RequestId);

        Assert.Equal([(0, "get_weather", 10, "call_1"), (1, "search_docs", 12, "call_2")], await fixture.ToolCallRowsAsync(first.RequestId));
        Assert.Equal([(0, "search_docs", 7, "call_3")], await fixture.ToolCallRowsAsync(second.RequestId));
    }

    [Fact]
    public async Task Storing_the_same_request_id_twice_is_a_no_op()
    {
        var store = fixture.Host.Services.GetRequiredService<ToolCallStore>();
        var request = Create(Guid.NewGuid(), Call("a", 1), Call("b", 2));

        Assert.True(await store.RecordAsync(request, CancellationToken.None));
        Assert.False(await store.RecordAsync(request, CancellationToken.None));
        Assert.Equal(2, (await fixture.ToolCallRowsAsync(request.RequestId)).Count);
    }

    [Fact]
    public async Task A_request_without_tool_calls_is_visibly_consumed()
    {
        var request = Create(Guid.NewGuid());

        await fixture.PublishAsync(request);
        await fixture.WaitUntilProcessedAsync(request.RequestId);

        Assert.Empty(await fixture.ToolCallRowsAsync(request.RequestId));
    }

    [Fact]
    public async Task Tool_usage_counts_calls_per_tool_for_the_organization()
    {
        var org = Guid.NewGuid();
        var first = Create(org, Call("search_docs", 100), Call("get_weather", 20), Call("search_docs", 50));
        var second = Create(org, Call("search_docs", 30));
        var otherOrganization = Create(Guid.NewGuid(), Call("search_docs", 1));

        await fixture.PublishAsync(first);
        await fixture.PublishAsync(second);
        await fixture.PublishAsync(otherOrganization);
        await fixture.WaitUntilProcessedAsync(first.RequestId);
        await fixture.WaitUntilProcessedAsync(second.RequestId);
        await fixture.WaitUntilProcessedAsync(otherOrganization.RequestId);

        using var request = fixture.Authorized(HttpMethod.Get, $"v1/mcp/tool-usage?org_id={org}");
        using var response = await fixture.Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var usage = (await response.Content.ReadFromJsonAsync<ToolUsagePayload>(Json))!;

        Assert.Equal(org, usage.OrgId);
        Assert.Equal(["search_docs", "get_weather"], usage.Tools.Select(t => t.ToolName));
        var search = usage.Tools[0];
        Assert.Equal((3L, 2L, 180L), (search.Calls, search.Requests, search.ArgumentsBytes));
        Assert.Equal((1L, 1L, 20L), (usage.Tools[1].Calls, usage.Tools[1].Requests, usage.Tools[1].ArgumentsBytes));
    }

    [Fact]
    public async Task Tool_usage_respects_the_time_range()
    {
        var org = Guid.NewGuid();
        var request = Create(org, Call("search_docs", 5));
        await fixture.PublishAsync(request);
        await fixture.WaitUntilProcessedAsync(request.RequestId);

        var future = Uri.EscapeDataString(DateTime.UtcNow.AddDays(1).ToString("O"));
        using var message = fixture.Authorized(HttpMethod.Get, $"v1/mcp/tool-usage?org_id={org}&from={future}");
        using var response = await fixture.Client.SendAsync(message);
        response.EnsureSuccessStatusCode();

        Assert.Empty((await response.Content.ReadFromJsonAsync<ToolUsagePayload>(Json))!.Tools);
    }

    [Fact]
    public async Task Tool_usage_requires_the_internal_token()
    {
        using var response = await fixture.Client.GetAsync($"v1/mcp/tool-usage?org_id={Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Tool_usage_validates_its_parameters()
    {
        using var request = fixture.Authorized(HttpMethod.Get, "v1/mcp/tool-usage?org_id=nope&from=yesterday");
        using var response = await fixture.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var errors = problem.RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty("org_id", out _));
        Assert.True(errors.TryGetProperty("from", out _));
    }

    [Fact]
    public async Task Readiness_covers_postgres_and_the_bus()
    {
        var (status, checks) = await fixture.Host.GetReadinessAsync();

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("postgres", checks);
        Assert.Contains(checks, name => name.Contains("masstransit", StringComparison.OrdinalIgnoreCase));
    }

    private sealed record ToolUsagePayload(Guid OrgId, DateTime? From, DateTime? To, List<ToolUsageRow> Tools);

    private sealed record ToolUsageRow(string ToolName, long Calls, long Requests, long ArgumentsBytes, DateTime LastCalledAt);
}
