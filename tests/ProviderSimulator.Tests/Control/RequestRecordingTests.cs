using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Requesty.ProviderSimulator.Tests.Support;

namespace Requesty.ProviderSimulator.Tests.Control;

/// <summary>/__sim/requests: the log tests use to see what a gateway forwarded.</summary>
public class RequestRecordingTests(SimulatorFixture simulator) : IClassFixture<SimulatorFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => simulator.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Requests_are_recorded_with_headers_body_and_query_newest_last()
    {
        using var client = simulator.CreateClient();
        await client.SendAsync(RawHttp.OpenAI("v1/chat/completions", """{"model":"gpt-4o","messages":[{"role":"user","content":"first"}]}""",
            ("x-request-tag", "one")));
        await client.SendAsync(RawHttp.Post("v1beta/models/gemini-2.5-flash:generateContent?key=secret-key",
            """{"contents":[{"parts":[{"text":"second"}]}]}"""));

        var recorded = await simulator.RecordedRequestsAsync();

        Assert.Equal(2, recorded.Count);
        var first = recorded[0]!;
        Assert.Equal("POST", first["method"]!.GetValue<string>());
        Assert.Equal("/v1/chat/completions", first["path"]!.GetValue<string>());
        var headers = first["headers"]!.AsObject();
        Assert.Equal("one", headers.Single(h => h.Key.Equals("x-request-tag", StringComparison.OrdinalIgnoreCase)).Value!.GetValue<string>());
        Assert.Equal("Bearer sk-test", headers.Single(h => h.Key.Equals("authorization", StringComparison.OrdinalIgnoreCase)).Value!.GetValue<string>());
        Assert.Equal("first", first["body"]!["messages"]![0]!["content"]!.GetValue<string>());
        Assert.Equal("?key=secret-key", recorded[1]!["query"]!.GetValue<string>());
    }

    [Fact]
    public async Task Limit_returns_the_newest_and_delete_clears()
    {
        using var client = simulator.CreateClient();
        foreach (var word in new[] { "a", "b", "c" })
            await client.SendAsync(RawHttp.OpenAI("v1/embeddings", $$"""{"model":"e","input":"{{word}}"}"""));

        var latestTwo = await simulator.RecordedRequestsAsync(2);
        Assert.Equal(["b", "c"], latestTwo.Select(r => r!["body"]!["input"]!.GetValue<string>()));

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("__sim/requests")).StatusCode);
        Assert.Empty(await simulator.RecordedRequestsAsync());
    }

    [Fact]
    public async Task Non_json_bodies_are_recorded_as_null_and_control_routes_are_not_recorded()
    {
        using var client = simulator.CreateClient();
        await client.GetAsync("healthz");
        await client.GetFromJsonAsync<JsonArray>("__sim/behaviour");
        var response = await client.SendAsync(RawHttp.Post("v1/messages", "not json", ("x-api-key", "k")));

        var recorded = await simulator.RecordedRequestsAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var only = Assert.Single(recorded);
        Assert.Null(only!["body"]);
    }

    [Fact]
    public async Task Response_timeline_is_recorded_for_streamed_and_non_streamed_answers()
    {
        using var client = simulator.CreateClient();
        using var streamed = await client.SendAsync(RawHttp.OpenAI("v1/chat/completions",
            """{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"streamed"}]}""",
            ("x-sim-behaviour", """{"ttft_ms":20}""")), HttpCompletionOption.ResponseHeadersRead);
        await Sse.ReadAllAsync(streamed);
        await client.SendAsync(RawHttp.OpenAI("v1/chat/completions", """{"model":"gpt-4o","messages":[{"role":"user","content":"whole"}]}"""));

        var recorded = await simulator.RecordedRequestsAsync();

        var stream = recorded[0]!;
        var received = stream["received_at"]!.GetValue<DateTimeOffset>();
        var headersSent = stream["headers_sent_at"]!.GetValue<DateTimeOffset>();
        var firstContent = stream["first_content_at"]!.GetValue<DateTimeOffset>();
        Assert.True(received <= headersSent, $"headers sent at {headersSent:O}, before the request arrived at {received:O}");
        Assert.True(firstContent > headersSent, $"first content at {firstContent:O}, not after the headers at {headersSent:O}");
        Assert.Equal(TimeSpan.Zero, headersSent.Offset);
        Assert.Matches(@"\.\d{3}", stream["first_content_at"]!.GetValue<string>());

        var whole = recorded[1]!.AsObject();
        Assert.True(whole["headers_sent_at"]!.GetValue<DateTimeOffset>() >= whole["received_at"]!.GetValue<DateTimeOffset>());
        Assert.True(whole.ContainsKey("first_content_at"));
        Assert.Null(whole["first_content_at"]);
    }
}
