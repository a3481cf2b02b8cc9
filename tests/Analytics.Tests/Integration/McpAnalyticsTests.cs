using System.Net.Http.Json;
using System.Text.Json;
using Requesty.Analytics.Application.Mcp;
using Requesty.Analytics.Infrastructure.ClickHouse;
using Requesty.Analytics.Tests.Support;
using Requesty.Contracts.Events;
using Requesty.Contracts.Keys;
using Requesty.TestKit;
using static Requesty.Analytics.Tests.Support.SyntheticRequests;

namespace Requesty.Analytics.Tests.Integration;

/// <summary>McpToolCalled over RabbitMQ (a slice delivered twice) -> mcp_tool_calls -> GET /v1/analytics/mcp.</summary>
[Collection(AnalyticsServiceCollection.Name)]
public class McpAnalyticsTests(AnalyticsServiceFixture service)
{
    private static readonly DateTime Start = new(2025, 8, 4, 0, 0, 0, DateTimeKind.Utc);
    private const string Range = "from=2025-08-04T00:00:00Z&to=2025-08-05T00:00:00Z";

    private static List<McpToolCalled> Generate(Guid org, Guid[] users, int count)
    {
        var random = new Random(11);
        (string Server, string Tool)[] tools = [("github", "search_issues"), ("github", "create_pr"), ("linear", "list_tickets"), ("files", "read")];
        var servers = tools.Select(t => t.Server).Distinct().ToDictionary(s => s, _ => Guid.NewGuid());
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var (server, tool) = tools[random.Next(tools.Length)];
            var ok = random.Next(6) != 0;
            return new McpToolCalled
            {
                CallId = Guid.NewGuid(), OrganizationId = org, ApiKeyId = Guid.NewGuid(),
                UserId = random.Next(10) == 0 ? null : users[random.Next(users.Length)],
                ServerId = servers[server], ServerName = server, ToolName = tool,
                StartedAt = Start.AddSeconds(random.Next(0, 86_000)), LatencyMs = random.Next(5, 3000), Success = ok,
                ErrorKind = ok ? null : "tool_error", ArgumentsBytes = random.Next(0, 500),
            };
        })];
    }

    [Fact]
    public async Task Calls_success_rate_latency_and_active_users_per_server_and_tool_count_redeliveries_once()
    {
        var org = Guid.NewGuid();
        var users = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid()).ToArray();
        var calls = Generate(org, users, 400);
        await service.PublishAsync([.. calls, .. calls.Take(60)]);
        await Eventually.GetAsync(async () => await CountAsync(org) == 400 ? "all" : null, TimeSpan.FromSeconds(60), "400 MCP calls stored");
        using var api = service.CreateApiClient();

        var body = await api.GetFromJsonAsync<JsonElement>($"v1/analytics/mcp?org_id={org}&{Range}");

        AssertStats(calls, body.GetProperty("totals"));
        var tools = body.GetProperty("tools").EnumerateArray()
            .ToDictionary(t => (t.GetProperty("server").GetString()!, t.GetProperty("tool").GetString()!), t => t.GetProperty("stats"));
        foreach (var group in calls.GroupBy(c => (c.ServerName, c.ToolName))) AssertStats([.. group], tools[group.Key]);
        Assert.Equal(calls.Select(c => (c.ServerName, c.ToolName)).Distinct().Count(), tools.Count);
        var servers = body.GetProperty("servers").EnumerateArray().ToDictionary(s => s.GetProperty("server").GetString()!, s => s.GetProperty("stats"));
        foreach (var group in calls.GroupBy(c => c.ServerName)) AssertStats([.. group], servers[group.Key]);

        var filtered = await api.GetFromJsonAsync<JsonElement>($"v1/analytics/mcp?org_id={org}&{Range}&server=github&tool=create_pr,read");
        AssertStats([.. calls.Where(c => c is { ServerName: "github", ToolName: "create_pr" })], filtered.GetProperty("totals"));

        using var member = service.CreateApiClient(service.Management.AddKey(org, users[0], ApiKeyRoles.Member, "manage_read"));
        var own = await member.GetFromJsonAsync<JsonElement>($"v1/analytics/mcp?{Range}");
        AssertStats([.. calls.Where(c => c.UserId == users[0])], own.GetProperty("totals"));
    }

    private static void AssertStats(List<McpToolCalled> expected, JsonElement stats)
    {
        Assert.Equal(expected.Count, stats.GetProperty("calls").GetInt32());
        Assert.Equal(expected.Count(c => c.Success), stats.GetProperty("successes").GetInt32());
        Assert.Equal(Math.Round(expected.Count(c => c.Success) * 100m / expected.Count, 4), stats.GetProperty("success_rate").GetDecimal());
        var average = expected.Sum(c => (decimal)c.LatencyMs) / expected.Count;
        Assert.InRange(stats.GetProperty("latency_avg_ms").GetDecimal(), average - 0.001m, average + 0.001m);
        Assert.Equal(QuantileExact(expected.Select(c => (decimal)c.LatencyMs), 0.95), stats.GetProperty("latency_p95_ms").GetDecimal());
        Assert.Equal(expected.Where(c => c.UserId is not null).Select(c => c.UserId).Distinct().Count(), stats.GetProperty("active_users").GetInt32());
    }

    private async Task<ulong> CountAsync(Guid org) =>
        (await service.ClickHouse.QueryAsync(
            $"SELECT count() AS count FROM {McpToolCallWriter.Table} FINAL WHERE organization_id = {SqlLiteral.Uuid(org)}",
            TestJsonContext.Default.CountResult, CancellationToken.None)).Single().Count;
}
