using System.Net.Http.Json;
using System.Text.Json;
using Requesty.Analytics.Tests.Support;
using Requesty.Contracts.Events;

namespace Requesty.Analytics.Tests.Integration;

/// <summary>
/// A scripted agent loop: each answer asks for tools, the client runs them and sends the next request carrying
/// the results (and, like real clients, every earlier result again). The estimate per tool is the gap between
/// the answer's completion and the first request carrying the call's id.
/// </summary>
[Collection(AnalyticsServiceCollection.Name)]
public class ToolTimeEstimateTests(AnalyticsServiceFixture service)
{
    private static readonly DateTime T0 = new(2025, 6, 21, 9, 0, 0, 500, DateTimeKind.Utc);

    [Fact]
    public async Task Client_side_tool_time_is_the_gap_to_the_request_carrying_the_result()
    {
        var org = Guid.NewGuid();
        RequestCompleted Turn(DateTime started, int latencyMs, ToolCallMade[] calls, string[] results)
        {
            var e = Events.Completed(org, startedAt: started);
            return e with
            {
                CompletedAt = started.AddMilliseconds(latencyMs), LatencyMs = latencyMs, ToolCalls = calls, ToolResultIds = results,
            };
        }
        ToolCallMade Call(string id, string name) => new() { Id = id, Name = name, ArgumentsBytes = 12 };

        // Turn 1 (0.5 s .. 1.7 s) asks for search (a1) and fetch (a2); the client needs 2.3 s for both.
        var turn1 = Turn(T0, 1200, [Call("a1", "search"), Call("a2", "fetch")], []);
        // Turn 2 starts at 4.0 s with both results and asks for search again (b1); that one takes 0.75 s.
        var turn2 = Turn(T0.AddMilliseconds(3500), 800, [Call("b1", "search")], ["a1", "a2"]);
        // Turn 3 starts at 5.55 s, replays a1 and a2 and carries b1; asks for fetch (c1), which is never answered.
        var turn3 = Turn(T0.AddMilliseconds(5050), 400, [Call("c1", "fetch")], ["a1", "a2", "b1"]);
        // Another agent of the same org much later, replaying a1 (larger gaps must not win).
        var late = Turn(T0.AddMinutes(30), 300, [], ["a1"]);
        await service.Writer.WriteAsync([turn1, turn2, turn3, late], CancellationToken.None);
        await service.Writer.WriteAsync([turn2], CancellationToken.None);
        using var api = service.CreateApiClient();

        var body = await api.GetFromJsonAsync<JsonElement>($"v1/analytics/tools?org_id={org}&from=2025-06-21T00:00:00Z&to=2025-06-22T00:00:00Z");

        var tools = body.GetProperty("tools").EnumerateArray().ToDictionary(t => t.GetProperty("tool_name").GetString()!, t => t.GetProperty("estimated_execution"));
        // search: a1 = 4000 - 1700 = 2300 ms, b1 = 5550 - 4800 = 750 ms.
        Assert.Equal(2, tools["search"].GetProperty("matched").GetInt32());
        Assert.Equal(1525m, tools["search"].GetProperty("avg_ms").GetDecimal());
        Assert.Equal(2300, tools["search"].GetProperty("p50_ms").GetInt64());
        Assert.Equal(2300, tools["search"].GetProperty("p95_ms").GetInt64());
        // fetch: a2 = 2300 ms; c1 has no follow-up and is not counted.
        Assert.Equal(1, tools["fetch"].GetProperty("matched").GetInt32());
        Assert.Equal(2300m, tools["fetch"].GetProperty("avg_ms").GetDecimal());
        Assert.Equal(2300, tools["fetch"].GetProperty("p95_ms").GetInt64());
    }

    [Fact]
    public async Task Tools_without_follow_ups_report_no_estimate()
    {
        var org = Guid.NewGuid();
        await service.Writer.WriteAsync([Events.Completed(org, startedAt: T0)], CancellationToken.None);
        using var api = service.CreateApiClient();

        var body = await api.GetFromJsonAsync<JsonElement>($"v1/analytics/tools?org_id={org}&from=2025-06-21T00:00:00Z&to=2025-06-22T00:00:00Z");

        var estimate = body.GetProperty("tools")[0].GetProperty("estimated_execution");
        Assert.Equal(0, estimate.GetProperty("matched").GetInt32());
        Assert.Equal(JsonValueKind.Null, estimate.GetProperty("avg_ms").ValueKind);
    }
}
