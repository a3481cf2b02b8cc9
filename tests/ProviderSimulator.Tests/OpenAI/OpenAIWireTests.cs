using System.Buffers.Binary;
using System.Net;
using System.Text.Json.Nodes;
using Requesty.ProviderSimulator.Tests.Support;

namespace Requesty.ProviderSimulator.Tests.OpenAI;

/// <summary>OpenAI wire details the SDK hides: SSE framing, the usage chunk, Responses events, embeddings encodings, image URLs.</summary>
public class OpenAIWireTests(SimulatorFixture simulator) : IClassFixture<SimulatorFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => simulator.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Chat_stream_ends_with_a_usage_chunk_and_done()
    {
        using var client = simulator.CreateClient();
        using var response = await client.SendAsync(RawHttp.OpenAI("v1/chat/completions", """
            {"model":"gpt-4o","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Hi"}]}
            """), HttpCompletionOption.ResponseHeadersRead);
        var events = await Sse.ReadAllAsync(response);

        Assert.Equal("[DONE]", events[^1].Data);
        var usageChunk = events[^2].Json;
        Assert.Empty(usageChunk["choices"]!.AsArray());
        Assert.True(usageChunk["usage"]!["total_tokens"]!.GetValue<int>() > 0);
        var chunks = events.SkipLast(2).Select(e => e.Json).ToList();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c["object"]!.GetValue<string>()));
        Assert.Equal("assistant", chunks[0]["choices"]![0]!["delta"]!["role"]!.GetValue<string>());
        Assert.Equal("stop", chunks[^1]["choices"]![0]!["finish_reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Chat_stream_without_include_usage_has_no_usage_chunk()
    {
        using var client = simulator.CreateClient();
        using var response = await client.SendAsync(RawHttp.OpenAI("v1/chat/completions", """
            {"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"Hi"}]}
            """), HttpCompletionOption.ResponseHeadersRead);
        var events = await Sse.ReadAllAsync(response);

        Assert.All(events.SkipLast(1), e => Assert.NotEmpty(e.Json["choices"]!.AsArray()));
        Assert.All(events.SkipLast(1), e => Assert.False(e.Json.AsObject().ContainsKey("usage")));
    }

    [Fact]
    public async Task Responses_api_answers_string_input_with_instructions()
    {
        using var client = simulator.CreateClient();
        var body = await (await client.SendAsync(RawHttp.OpenAI("v1/responses", """
            {"model":"gpt-5","instructions":"Be brief","input":"Tell me a story"}
            """))).JsonAsync();

        Assert.Equal("response", body["object"]!.GetValue<string>());
        Assert.Equal("completed", body["status"]!.GetValue<string>());
        var message = body["output"]!.AsArray().Single(o => o!["type"]!.GetValue<string>() == "message")!;
        Assert.Equal("Hello from the simulator (openai/gpt-5). You said: Tell me a story", message["content"]![0]!["text"]!.GetValue<string>());
        var usage = body["usage"]!;
        Assert.Equal(usage["input_tokens"]!.GetValue<int>() + usage["output_tokens"]!.GetValue<int>(), usage["total_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task Responses_api_forced_tool_returns_a_function_call_item()
    {
        using var client = simulator.CreateClient();
        var body = await (await client.SendAsync(RawHttp.OpenAI("v1/responses", """
            {"model":"gpt-5","input":[{"role":"user","content":[{"type":"input_text","text":"Weather?"}]}],
             "tools":[{"type":"function","name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}],
             "tool_choice":"required"}
            """))).JsonAsync();

        var call = body["output"]!.AsArray().Single(o => o!["type"]!.GetValue<string>() == "function_call")!;
        Assert.Equal("get_weather", call["name"]!.GetValue<string>());
        Assert.NotNull(JsonNode.Parse(call["arguments"]!.GetValue<string>())!["city"]);
    }

    [Fact]
    public async Task Responses_api_stream_emits_named_events_in_order()
    {
        using var client = simulator.CreateClient();
        using var response = await client.SendAsync(RawHttp.OpenAI("v1/responses", """
            {"model":"gpt-5","input":"Stream it","stream":true}
            """), HttpCompletionOption.ResponseHeadersRead);
        var events = await Sse.ReadAllAsync(response);
        var names = events.Select(e => e.Name).ToList();

        Assert.Equal("response.created", names[0]);
        Assert.Equal("response.completed", names[^1]);
        Assert.Contains("response.output_text.delta", names);
        Assert.True(names.IndexOf("response.output_item.added") < names.IndexOf("response.output_text.delta"));
        Assert.All(events, e => Assert.Equal(e.Name, e.Json["type"]!.GetValue<string>()));
        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => e.Json["sequence_number"]!.GetValue<int>()));
        var text = string.Concat(events.Where(e => e.Name == "response.output_text.delta").Select(e => e.Json["delta"]!.GetValue<string>()));
        Assert.Equal("Hello from the simulator (openai/gpt-5). You said: Stream it", text);
        Assert.True(events[^1].Json["response"]!["usage"]!["output_tokens"]!.GetValue<int>() > 0);
    }

    [Fact]
    public async Task Embeddings_accept_string_arrays_token_arrays_and_base64()
    {
        using var client = simulator.CreateClient();
        var floats = await (await client.SendAsync(RawHttp.OpenAI("v1/embeddings", """
            {"model":"text-embedding-3-small","input":["alpha","beta"],"dimensions":8}
            """))).JsonAsync();
        var base64 = await (await client.SendAsync(RawHttp.OpenAI("v1/embeddings", """
            {"model":"text-embedding-3-small","input":"alpha","dimensions":8,"encoding_format":"base64"}
            """))).JsonAsync();
        var tokens = await (await client.SendAsync(RawHttp.OpenAI("v1/embeddings", """
            {"model":"text-embedding-3-large","input":[[1,2,3],[4,5]]}
            """))).JsonAsync();

        Assert.Equal(2, floats["data"]!.AsArray().Count);
        var alpha = floats["data"]![0]!["embedding"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray();
        var bytes = Convert.FromBase64String(base64["data"]![0]!["embedding"]!.GetValue<string>());
        var decoded = Enumerable.Range(0, bytes.Length / 4).Select(i => BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * 4))).ToArray();
        Assert.Equal(alpha, decoded);
        Assert.Equal(3072, tokens["data"]![1]!["embedding"]!.AsArray().Count);
        Assert.Equal(5, tokens["usage"]!["prompt_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task Image_urls_point_at_pngs_served_by_the_simulator()
    {
        using var client = simulator.CreateClient();
        var body = await (await client.SendAsync(RawHttp.OpenAI("v1/images/generations", """
            {"model":"dall-e-3","prompt":"A blue circle","response_format":"url","n":2}
            """))).JsonAsync();

        var urls = body["data"]!.AsArray().Select(d => d!["url"]!.GetValue<string>()).ToList();
        Assert.Equal(2, urls.Count);
        var image = await client.GetAsync(urls[0]);
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/png", image.Content.Headers.ContentType!.MediaType);
        Assert.Equal(0x89, (await image.Content.ReadAsByteArrayAsync())[0]);
    }

    [Fact]
    public async Task Json_object_mode_returns_a_json_object()
    {
        using var client = simulator.CreateClient();
        var body = await (await client.SendAsync(RawHttp.OpenAI("v1/chat/completions", """
            {"model":"gpt-4o","response_format":{"type":"json_object"},"messages":[{"role":"user","content":"JSON please"}]}
            """))).JsonAsync();

        var content = JsonNode.Parse(body["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        Assert.IsType<JsonObject>(content);
    }
}
