using System.Collections.Concurrent;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using Requesty.McpGateway.Tests.Integration;
using Requesty.McpGateway.Tests.Support;
using Requesty.TestKit;

namespace Requesty.McpGateway.Tests.Mcp;

/// <summary>notifications/progress of a long-running upstream tool reach the caller before the result.</summary>
[Collection(McpGatewayCollection.Name)]
public sealed class ProgressTests(McpGatewayFixture fixture)
{
    private const string LongRunning = "trigger-long-running-operation";
    private readonly GatewayApi _api = new(fixture);

    [Theory]
    [InlineData("streamable-http")]
    [InlineData("sse")]
    public async Task Progress_notifications_stream_back_before_the_result(string type)
    {
        var (org, name, _) = await _api.RegisterEverythingAsync(type, LongRunning);
        await using var client = await _api.ConnectAsync(fixture.Management.IssueKey(org));
        var notifications = new ConcurrentQueue<ProgressNotificationParams>();
        // Session-wide handler: the SDK handles each message on its own task, so the per-call
        // IProgress may already be unregistered when the last notification is handled.
        await using var handler = client.RegisterNotificationHandler(NotificationMethods.ProgressNotification, (n, _) =>
        {
            notifications.Enqueue(n.Params.Deserialize(McpJsonUtilities.DefaultOptions.GetTypeInfo<ProgressNotificationParams>())!);
            return ValueTask.CompletedTask;
        });

        var result = await client.CallToolAsync($"{name}__{LongRunning}",
            new Dictionary<string, object?> { ["duration"] = 1, ["steps"] = 3 }, new RecordingProgress());
        // The wire order (ascending, all before the result) is asserted by the raw test below.
        var values = await Eventually.GetAsync(() => Task.FromResult(notifications.Count >= 3 ? notifications.ToList() : null),
            TimeSpan.FromSeconds(10), "three progress notifications");

        Assert.NotEqual(true, result.IsError);
        Assert.Contains("Steps: 3", Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text);
        // The SDK client dispatches each notification on its own task, so its handlers may see them reordered.
        Assert.Equal([1f, 2f, 3f], values.Select(v => v.Progress.Progress).Order());
        Assert.All(values, v => Assert.Equal(3f, v.Progress.Total));
        Assert.Single(values.Select(v => v.ProgressToken).Distinct());
    }

    [Theory]
    [InlineData("streamable-http")]
    [InlineData("sse")]
    public async Task On_the_wire_every_progress_event_precedes_the_result(string type)
    {
        var (org, name, _) = await _api.RegisterEverythingAsync(type, LongRunning);
        var token = $"progress-{Guid.NewGuid():N}";

        var (status, body) = await _api.PostMcpAsync($$"""
            {"jsonrpc":"2.0","id":"call-1","method":"tools/call","params":{"name":"{{name}}__{{LongRunning}}",
             "arguments":{"duration":1,"steps":4},"_meta":{"progressToken":"{{token}}"} } }
            """.ReplaceLineEndings(" "), fixture.Management.IssueKey(org));
        var messages = GatewayApi.SseMessages(body);

        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        Assert.Equal(5, messages.Count);
        Assert.All(messages.Take(4), m =>
        {
            Assert.Equal("notifications/progress", m.GetProperty("method").GetString());
            Assert.Equal(token, m.GetProperty("params").GetProperty("progressToken").GetString());
        });
        Assert.Equal([1.0, 2.0, 3.0, 4.0], messages.Take(4).Select(m => m.GetProperty("params").GetProperty("progress").GetDouble()));
        Assert.Equal("call-1", messages[4].GetProperty("id").GetString());
        Assert.Contains("Steps: 4", messages[4].GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task Without_a_progress_token_only_the_result_arrives()
    {
        var (org, name, _) = await _api.RegisterEverythingAsync("streamable-http", LongRunning);
        await using var client = await _api.ConnectAsync(fixture.Management.IssueKey(org));
        var notifications = new ConcurrentQueue<string>();
        await using var handler = client.RegisterNotificationHandler(NotificationMethods.ProgressNotification, (n, _) =>
        {
            notifications.Enqueue(n.Method);
            return ValueTask.CompletedTask;
        });

        var text = await GatewayApi.CallTextAsync(client, $"{name}__{LongRunning}", new Dictionary<string, object?> { ["duration"] = 1, ["steps"] = 2 });

        Assert.Contains("Steps: 2", text);
        Assert.Empty(notifications);
    }

    /// <summary>Records synchronously (Progress&lt;T&gt; would post to the thread pool and race the assertion).</summary>
    private sealed class RecordingProgress : IProgress<ProgressNotificationValue>
    {
        private readonly ConcurrentQueue<ProgressNotificationValue> _values = new();

        public IReadOnlyCollection<ProgressNotificationValue> Values => _values;

        public void Report(ProgressNotificationValue value) => _values.Enqueue(value);
    }
}
