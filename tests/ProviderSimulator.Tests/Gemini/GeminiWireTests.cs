using System.Net;
using System.Text.Json.Nodes;
using Requesty.ProviderSimulator.Tests.Support;

namespace Requesty.ProviderSimulator.Tests.Gemini;

/// <summary>Gemini generateContent / streamGenerateContent wire shapes.</summary>
public class GeminiWireTests(SimulatorFixture simulator) : IClassFixture<SimulatorFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => simulator.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private const string Body = """{"contents":[{"role":"user","parts":[{"text":"Hello Gemini friend"}]}]}""";

    [Fact]
    public async Task Generate_content_returns_candidates_and_usage_metadata()
    {
        using var client = simulator.CreateClient();
        var response = await client.SendAsync(RawHttp.Post("v1beta/models/gemini-2.5-flash:generateContent", Body, ("x-goog-api-key", "g-key")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        var candidate = body["candidates"]![0]!;
        Assert.Equal("model", candidate["content"]!["role"]!.GetValue<string>());
        Assert.Equal("Hello from the simulator (gemini/gemini-2.5-flash). You said: Hello Gemini friend",
            candidate["content"]!["parts"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("STOP", candidate["finishReason"]!.GetValue<string>());
        var usage = body["usageMetadata"]!;
        var prompt = usage["promptTokenCount"]!.GetValue<int>();
        var output = usage["candidatesTokenCount"]!.GetValue<int>();
        Assert.True(prompt > 0 && output > 0);
        Assert.Equal(prompt + output, usage["totalTokenCount"]!.GetValue<int>());
        Assert.Equal(0, usage["cachedContentTokenCount"]!.GetValue<int>());
        Assert.Equal(0, usage["thoughtsTokenCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task Key_can_come_from_the_query_and_is_required()
    {
        using var client = simulator.CreateClient();
        var withQueryKey = await client.SendAsync(RawHttp.Post("v1beta/models/gemini-2.0-flash:generateContent?key=abc", Body));
        var withoutKey = await client.SendAsync(RawHttp.Post("v1beta/models/gemini-2.0-flash:generateContent", Body));

        Assert.Equal(HttpStatusCode.OK, withQueryKey.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, withoutKey.StatusCode);
        Assert.Equal("PERMISSION_DENIED", (await withoutKey.JsonAsync())["error"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Stream_with_alt_sse_sends_data_events_and_ends_with_usage()
    {
        using var client = simulator.CreateClient();
        using var response = await client.SendAsync(
            RawHttp.Post("v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", Body, ("x-goog-api-key", "g-key")),
            HttpCompletionOption.ResponseHeadersRead);
        var events = await Sse.ReadAllAsync(response);

        Assert.True(events.Count > 1);
        Assert.All(events, e => Assert.Null(e.Name));
        var text = string.Concat(events.Select(e => e.Json["candidates"]![0]!["content"]!["parts"]!.AsArray()
            .Select(p => p!["text"]?.GetValue<string>()).FirstOrDefault()));
        Assert.Equal("Hello from the simulator (gemini/gemini-2.5-flash). You said: Hello Gemini friend", text);
        var last = events[^1].Json;
        Assert.Equal("STOP", last["candidates"]![0]!["finishReason"]!.GetValue<string>());
        Assert.True(last["usageMetadata"]!["totalTokenCount"]!.GetValue<int>() > 0);
    }

    [Fact]
    public async Task Stream_without_alt_is_a_json_array_of_responses()
    {
        using var client = simulator.CreateClient();
        var response = await client.SendAsync(RawHttp.Post("v1beta/models/gemini-2.5-flash:streamGenerateContent", Body, ("x-goog-api-key", "g-key")));

        var chunks = (await response.JsonAsync()).AsArray();
        Assert.True(chunks.Count > 1);
        Assert.NotNull(chunks[^1]!["usageMetadata"]);
    }

    [Fact]
    public async Task Function_calling_mode_any_returns_a_function_call_part()
    {
        const string body = """
            {"contents":[{"role":"user","parts":[{"text":"What's the time?"}]}],
             "tools":[{"functionDeclarations":[{"name":"get_time","parameters":{"type":"OBJECT","properties":{"zone":{"type":"STRING","enum":["UTC","CET"]}},"required":["zone"]}}]}],
             "toolConfig":{"functionCallingConfig":{"mode":"ANY"}}}
            """;
        using var client = simulator.CreateClient();
        var result = await (await client.SendAsync(RawHttp.Post("v1beta/models/gemini-2.5-pro:generateContent", body, ("x-goog-api-key", "g")))).JsonAsync();

        var call = result["candidates"]![0]!["content"]!["parts"]![0]!["functionCall"]!;
        Assert.Equal("get_time", call["name"]!.GetValue<string>());
        Assert.Equal("UTC", call["args"]!["zone"]!.GetValue<string>());
    }

    [Fact]
    public async Task Thinking_config_reports_thought_tokens_and_thought_parts()
    {
        const string body = """
            {"contents":[{"role":"user","parts":[{"text":"Ponder"}]}],
             "generationConfig":{"thinkingConfig":{"thinkingBudget":1024,"includeThoughts":true}}}
            """;
        using var client = simulator.CreateClient();
        var result = await (await client.SendAsync(RawHttp.Post("v1beta/models/gemini-2.5-pro:generateContent", body, ("x-goog-api-key", "g")))).JsonAsync();

        var parts = result["candidates"]![0]!["content"]!["parts"]!.AsArray();
        Assert.True(parts[0]!["thought"]!.GetValue<bool>());
        var usage = result["usageMetadata"]!;
        var thoughts = usage["thoughtsTokenCount"]!.GetValue<int>();
        Assert.True(thoughts > 0);
        Assert.Equal(usage["promptTokenCount"]!.GetValue<int>() + usage["candidatesTokenCount"]!.GetValue<int>() + thoughts,
            usage["totalTokenCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task Forced_errors_use_the_google_shape()
    {
        await simulator.SetBehaviourAsync(new { provider = "google", status = 429 });
        using var client = simulator.CreateClient();

        var response = await client.SendAsync(RawHttp.Post("v1beta/models/gemini-2.5-flash:generateContent", Body, ("x-goog-api-key", "g")));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var error = (await response.JsonAsync())["error"]!;
        Assert.Equal(429, error["code"]!.GetValue<int>());
        Assert.Equal("RESOURCE_EXHAUSTED", error["status"]!.GetValue<string>());
    }
}
