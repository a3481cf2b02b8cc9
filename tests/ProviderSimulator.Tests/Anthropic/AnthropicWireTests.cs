using System.Net;
using System.Text.Json.Nodes;
using Requesty.ProviderSimulator.Tests.Support;

namespace Requesty.ProviderSimulator.Tests.Anthropic;

/// <summary>Anthropic wire format at the byte level: SSE event order, cache usage, errors.</summary>
public class AnthropicWireTests(SimulatorFixture simulator) : IClassFixture<SimulatorFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => simulator.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Text_stream_follows_the_exact_event_sequence()
    {
        using var client = simulator.CreateClient();
        using var response = await client.SendAsync(RawHttp.Anthropic("""
            {"model":"claude-haiku-4-5","max_tokens":256,"stream":true,"messages":[{"role":"user","content":"Hi there"}]}
            """), HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        var events = await Sse.ReadAllAsync(response);
        var names = events.Select(e => e.Name!).ToList();

        Assert.Equal(["message_start", "content_block_start", "ping"], names.Take(3));
        Assert.Equal(["content_block_stop", "message_delta", "message_stop"], names.TakeLast(3));
        Assert.All(names.Skip(3).SkipLast(3), n => Assert.Equal("content_block_delta", n));
        Assert.All(events, e => Assert.Equal(e.Name, e.Json["type"]!.GetValue<string>()));

        var deltas = events.Where(e => e.Name == "content_block_delta").Select(e => e.Json["delta"]!).ToList();
        Assert.All(deltas, d => Assert.Equal("text_delta", d["type"]!.GetValue<string>()));
        Assert.Equal("Hello from the simulator (anthropic/claude-haiku-4-5). You said: Hi there", string.Concat(deltas.Select(d => d["text"]!.GetValue<string>())));

        var start = events[0].Json["message"]!;
        Assert.True(start["usage"]!["input_tokens"]!.GetValue<int>() > 0);
        var messageDelta = events[^2].Json;
        Assert.Equal("end_turn", messageDelta["delta"]!["stop_reason"]!.GetValue<string>());
        Assert.True(messageDelta["usage"]!["output_tokens"]!.GetValue<int>() > 1);
    }

    [Fact]
    public async Task Thinking_and_tool_use_stream_as_separate_blocks_with_their_delta_types()
    {
        using var client = simulator.CreateClient();
        using var response = await client.SendAsync(RawHttp.Anthropic("""
            {"model":"claude-sonnet-4-5","max_tokens":4096,"stream":true,"thinking":{"type":"enabled","budget_tokens":2048},
             "tools":[{"name":"lookup","input_schema":{"type":"object","properties":{"q":{"type":"string"},"limit":{"type":"integer"}},"required":["q","limit"]}}],
             "tool_choice":{"type":"any"},
             "messages":[{"role":"user","content":"Find it"}]}
            """), HttpCompletionOption.ResponseHeadersRead);
        var events = await Sse.ReadAllAsync(response);

        var starts = events.Where(e => e.Name == "content_block_start").Select(e => e.Json["content_block"]!["type"]!.GetValue<string>()).ToList();
        Assert.Equal(["thinking", "tool_use"], starts);
        var byIndex = events.Where(e => e.Name == "content_block_delta").GroupBy(e => e.Json["index"]!.GetValue<int>()).ToDictionary(
            g => g.Key, g => g.Select(e => e.Json["delta"]!).ToList());
        Assert.Equal("thinking_delta", byIndex[0][0]["type"]!.GetValue<string>());
        Assert.Equal("signature_delta", byIndex[0][^1]["type"]!.GetValue<string>());
        Assert.All(byIndex[1], d => Assert.Equal("input_json_delta", d["type"]!.GetValue<string>()));
        var input = JsonNode.Parse(string.Concat(byIndex[1].Select(d => d["partial_json"]!.GetValue<string>())))!;
        Assert.Equal(System.Text.Json.JsonValueKind.Number, input["limit"]!.GetValueKind());
        Assert.Equal("tool_use", events.Single(e => e.Name == "message_delta").Json["delta"]!["stop_reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Cache_control_writes_the_cache_first_and_reads_it_afterwards()
    {
        const string body = """
            {"model":"claude-sonnet-4-5","max_tokens":100,
             "system":[{"type":"text","text":"You are a very long system prompt that is worth caching for many requests.","cache_control":{"type":"ephemeral"}}],
             "messages":[{"role":"user","content":"Question one"}]}
            """;
        using var client = simulator.CreateClient();

        var first = (await (await client.SendAsync(RawHttp.Anthropic(body))).JsonAsync())["usage"]!;
        var second = (await (await client.SendAsync(RawHttp.Anthropic(body))).JsonAsync())["usage"]!;

        Assert.True(first["cache_creation_input_tokens"]!.GetValue<int>() > 0);
        Assert.Equal(0, first["cache_read_input_tokens"]!.GetValue<int>());
        Assert.Equal(0, second["cache_creation_input_tokens"]!.GetValue<int>());
        Assert.Equal(first["cache_creation_input_tokens"]!.GetValue<int>(), second["cache_read_input_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task Errors_use_the_anthropic_shape()
    {
        using var client = simulator.CreateClient();
        var unauthenticated = await client.SendAsync(RawHttp.Post("v1/messages", """{"model":"m","max_tokens":5,"messages":[]}"""));
        var overloaded = await client.SendAsync(RawHttp.Anthropic("""{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x"}]}""",
            ("x-sim-behaviour", """{"status":529}""")));

        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
        var body = await unauthenticated.JsonAsync();
        Assert.Equal("error", body["type"]!.GetValue<string>());
        Assert.Equal("authentication_error", body["error"]!["type"]!.GetValue<string>());
        Assert.Equal(529, (int)overloaded.StatusCode);
        Assert.Equal("overloaded_error", (await overloaded.JsonAsync())["error"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Models_list_uses_the_anthropic_shape_when_anthropic_version_is_sent()
    {
        using var client = simulator.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Get, "v1/models");
        request.Headers.Add("x-api-key", "k");
        request.Headers.Add("anthropic-version", "2023-06-01");

        var body = await (await client.SendAsync(request)).JsonAsync();

        Assert.False(body["has_more"]!.GetValue<bool>());
        Assert.Equal("model", body["data"]![0]!["type"]!.GetValue<string>());
    }
}
