using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Requesty.Contracts.Events;
using Requesty.Contracts.Keys;
using Requesty.Router.Accounting;
using Requesty.Router.Catalog;
using Requesty.Router.Endpoints.Responses;
using Requesty.Router.Pipeline;

namespace Requesty.Router.Tests.Unit;

public class ResponsesChatOutputTests
{
    private static readonly ModelPrice Price = new(3.00m, 15.00m, 0.30m, 3.75m);
    private static readonly TokenUsage Usage = new() { InputTokens = 100, CacheReadTokens = 20, CacheWriteTokens = 10, OutputTokens = 50, ReasoningTokens = 5 };

    private static (ResponsesChatOutput Output, HttpResponse Response, RequestRecord Record) Create(string request = """{"input":"Hi","instructions":"Be brief."}""")
    {
        var http = new DefaultHttpContext();
        http.Response.Body = new MemoryStream();
        var caller = new ApiKeyContext { KeyHash = "h", ApiKeyId = Guid.NewGuid(), OrganizationId = Guid.NewGuid() };
        var record = new RequestRecord(Guid.NewGuid(), DateTime.UtcNow, caller, "responses") { Usage = Usage };
        var shell = new ResponseShell(JsonNode.Parse(request)!.AsObject(), "anthropic/claude-sonnet-4-5", DateTimeOffset.UnixEpoch);
        return (new ResponsesChatOutput(http.Response, shell, record, Price), http.Response, record);
    }

    private static string Body(HttpResponse response) => Encoding.UTF8.GetString(((MemoryStream)response.Body).ToArray());

    private static List<(string Name, JsonObject Data)> Events(HttpResponse response) =>
        Body(response).Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(block => block.Split('\n'))
            .Select(lines => (lines[0]["event: ".Length..], JsonNode.Parse(lines[1]["data: ".Length..])!.AsObject()))
            .ToList();

    private static JsonObject Chunk(string delta, string? finish = null) =>
        JsonNode.Parse($$"""{"id":"chatcmpl-1","choices":[{"index":0,"delta":{{delta}},"finish_reason":{{(finish is null ? "null" : $"\"{finish}\"")}}}]}""")!.AsObject();

    [Fact]
    public async Task A_completion_becomes_one_response_with_reasoning_message_and_function_call_items_and_the_cost()
    {
        var (output, response, _) = Create();
        var completion = JsonNode.Parse("""
            {"id":"chatcmpl-1","choices":[{"index":0,"finish_reason":"tool_calls","message":{"role":"assistant",
              "content":"Let me check.","reasoning_content":"Need the weather tool.",
              "tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]}}]}
            """)!.AsObject();

        await output.WriteCompletionAsync(completion, ReadOnlyMemory<byte>.Empty, CancellationToken.None);

        var answer = JsonNode.Parse(Body(response))!;
        Assert.Equal("response", answer["object"]!.GetValue<string>());
        Assert.Equal("completed", answer["status"]!.GetValue<string>());
        Assert.Equal("anthropic/claude-sonnet-4-5", answer["model"]!.GetValue<string>());
        Assert.Equal("Be brief.", answer["instructions"]!.GetValue<string>());
        var items = answer["output"]!.AsArray();
        Assert.Equal(["reasoning", "message", "function_call"], items.Select(i => i!["type"]!.GetValue<string>()));
        Assert.Equal("Need the weather tool.", items[0]!["summary"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("Let me check.", items[1]!["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("call_1", items[2]!["call_id"]!.GetValue<string>());
        Assert.Equal("""{"city":"Paris"}""", items[2]!["arguments"]!.GetValue<string>());
        var usage = answer["usage"]!;
        Assert.Equal(130, usage["input_tokens"]!.GetValue<long>());
        Assert.Equal(20, usage["input_tokens_details"]!["cached_tokens"]!.GetValue<long>());
        Assert.Equal(5, usage["output_tokens_details"]!["reasoning_tokens"]!.GetValue<long>());
        Assert.Equal(180, usage["total_tokens"]!.GetValue<long>());
        Assert.Equal(CostCalculator.Cost(Usage, Price), usage["cost"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task A_truncated_completion_is_incomplete_for_max_output_tokens()
    {
        var (output, response, _) = Create();

        await output.WriteCompletionAsync(JsonNode.Parse("""{"choices":[{"finish_reason":"length","message":{"content":"Hel"}}]}""")!.AsObject(),
            ReadOnlyMemory<byte>.Empty, CancellationToken.None);

        var answer = JsonNode.Parse(Body(response))!;
        Assert.Equal("incomplete", answer["status"]!.GetValue<string>());
        Assert.Equal("max_output_tokens", answer["incomplete_details"]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_chunk_stream_becomes_the_responses_event_sequence_with_usage_and_cost_at_the_end()
    {
        var (output, response, _) = Create();

        await output.StartStreamAsync(CancellationToken.None);
        await output.WriteChunkAsync(Chunk("""{"role":"assistant","content":""}"""), null, CancellationToken.None);
        await output.WriteChunkAsync(Chunk("""{"content":"Hel"}"""), null, CancellationToken.None);
        await output.WriteChunkAsync(Chunk("""{"content":"lo"}"""), null, CancellationToken.None);
        await output.WriteChunkAsync(Chunk("""{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"get_weather","arguments":""}}]}"""), null, CancellationToken.None);
        await output.WriteChunkAsync(Chunk("""{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\":"}}]}"""), null, CancellationToken.None);
        await output.WriteChunkAsync(Chunk("""{"tool_calls":[{"index":0,"function":{"arguments":"\"Paris\"}"}}]}"""), null, CancellationToken.None);
        await output.WriteChunkAsync(Chunk("{}", "tool_calls"), null, CancellationToken.None);
        await output.WriteChunkAsync(JsonNode.Parse("""{"choices":[],"usage":{"prompt_tokens":1}}""")!.AsObject(), null, CancellationToken.None);
        await output.EndStreamAsync(CancellationToken.None);

        var events = Events(response);
        Assert.Equal("text/event-stream", response.ContentType);
        Assert.Equal(
        [
            "response.created", "response.in_progress",
            "response.output_item.added", "response.content_part.added", "response.output_text.delta", "response.output_text.delta",
            "response.output_text.done", "response.content_part.done", "response.output_item.done",
            "response.output_item.added", "response.function_call_arguments.delta", "response.function_call_arguments.delta",
            "response.function_call_arguments.done", "response.output_item.done",
            "response.completed",
        ], events.Select(e => e.Name));
        Assert.All(events, e => Assert.Equal(e.Name, e.Data["type"]!.GetValue<string>()));
        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => e.Data["sequence_number"]!.GetValue<int>()));
        Assert.Equal("Hello", events[6].Data["text"]!.GetValue<string>());
        Assert.Equal(1, events[9].Data["output_index"]!.GetValue<int>());
        Assert.Equal("""{"city":"Paris"}""", events[12].Data["arguments"]!.GetValue<string>());
        Assert.Equal("get_weather", events[12].Data["name"]!.GetValue<string>());

        var final = events[^1].Data["response"]!;
        Assert.Equal("completed", final["status"]!.GetValue<string>());
        Assert.Equal(["message", "function_call"], final["output"]!.AsArray().Select(i => i!["type"]!.GetValue<string>()));
        Assert.Equal(CostCalculator.Cost(Usage, Price), final["usage"]!["cost"]!.GetValue<decimal>());
        Assert.Null(events[0].Data["response"]!["usage"]);
    }

    [Fact]
    public async Task Reasoning_deltas_stream_as_a_reasoning_summary_item_before_the_text()
    {
        var (output, response, _) = Create();

        await output.StartStreamAsync(CancellationToken.None);
        await output.WriteChunkAsync(Chunk("""{"reasoning_content":"Think"}"""), null, CancellationToken.None);
        await output.WriteChunkAsync(Chunk("""{"content":"Done"}""", "stop"), null, CancellationToken.None);
        await output.EndStreamAsync(CancellationToken.None);

        var events = Events(response);
        Assert.Equal("response.output_item.added", events[2].Name);
        Assert.Equal("reasoning", events[2].Data["item"]!["type"]!.GetValue<string>());
        Assert.Equal("Think", events.Single(e => e.Name == "response.reasoning_summary_text.delta").Data["delta"]!.GetValue<string>());
        var reasoningDone = events.First(e => e.Name == "response.output_item.done");
        Assert.Equal("Think", reasoningDone.Data["item"]!["summary"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(["reasoning", "message"], events[^1].Data["response"]!["output"]!.AsArray().Select(i => i!["type"]!.GetValue<string>()));
    }

    [Fact]
    public async Task An_upstream_failure_mid_stream_ends_with_an_error_event_and_a_failed_response()
    {
        var (output, response, _) = Create();

        await output.StartStreamAsync(CancellationToken.None);
        await output.WriteChunkAsync(Chunk("""{"content":"Hel"}"""), null, CancellationToken.None);
        await output.WriteStreamErrorAsync("anthropic: overloaded", CancellationToken.None);
        await output.EndStreamAsync(CancellationToken.None);

        var events = Events(response);
        var error = events.Single(e => e.Name == "error");
        Assert.Equal("anthropic: overloaded", error.Data["message"]!.GetValue<string>());
        Assert.Equal("response.failed", events[^1].Name);
        Assert.Equal("failed", events[^1].Data["response"]!["status"]!.GetValue<string>());
        Assert.Equal("anthropic: overloaded", events[^1].Data["response"]!["error"]!["message"]!.GetValue<string>());
    }
}
