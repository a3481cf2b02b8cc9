using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Requesty.Contracts.Events;
using Requesty.Contracts.Keys;
using Requesty.Router.Catalog;
using Requesty.Router.Endpoints.Messages;
using Requesty.Router.Endpoints.Responses;
using Requesty.Router.Pipeline;

namespace Requesty.Router.Tests.Unit.Translation;

/// <summary>
/// Images a chat model returns (OpenAI-format message.images / delta.images) reach /v1/responses clients as
/// image_generation_call items and /v1/messages clients as image content blocks.
/// </summary>
public class ChatModelImagesOutputTests
{
    private const string Png = "iVBORw0KGgoAAAANSUhEUg==";
    private const string Images = $$"""[{"type":"image_url","image_url":{"url":"data:image/png;base64,{{Png}}"},"index":0}]""";

    private static readonly JsonObject Completion = JsonNode.Parse($$$"""
        {"id":"chatcmpl-1","choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"Here it is.",
          "images":{{{Images}}}}}],"usage":{"prompt_tokens":4,"completion_tokens":9}}
        """)!.AsObject();

    private static JsonObject Chunk(string delta, string? finish = null) =>
        JsonNode.Parse($$"""{"id":"chatcmpl-1","choices":[{"index":0,"delta":{{delta}},"finish_reason":{{(finish is null ? "null" : $"\"{finish}\"")}}}]}""")!.AsObject();

    private static HttpResponse Response()
    {
        var http = new DefaultHttpContext();
        http.Response.Body = new MemoryStream();
        return http.Response;
    }

    private static ResponsesChatOutput ResponsesOutput(HttpResponse response)
    {
        var caller = new ApiKeyContext { KeyHash = "h", ApiKeyId = Guid.NewGuid(), OrganizationId = Guid.NewGuid() };
        var record = new RequestRecord(Guid.NewGuid(), DateTime.UtcNow, caller, "responses") { Usage = new TokenUsage { InputTokens = 4, OutputTokens = 9 } };
        var shell = new ResponseShell(JsonNode.Parse("""{"input":"Draw"}""")!.AsObject(), "google/gemini-2.5-flash-image", DateTimeOffset.UnixEpoch);
        return new ResponsesChatOutput(response, shell, record, new ModelPrice(0.30m, 30m));
    }

    private static string Body(HttpResponse response) => Encoding.UTF8.GetString(((MemoryStream)response.Body).ToArray());

    private static List<(string Name, JsonObject Data)> Events(HttpResponse response) =>
        Body(response).Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(block => block.Split('\n'))
            .Select(lines => (lines[0]["event: ".Length..], JsonNode.Parse(lines[1]["data: ".Length..])!.AsObject()))
            .ToList();

    [Fact]
    public async Task A_responses_answer_carries_the_image_as_an_image_generation_call_after_the_message()
    {
        var response = Response();

        await ResponsesOutput(response).WriteCompletionAsync(Completion, ReadOnlyMemory<byte>.Empty, CancellationToken.None);

        var items = JsonNode.Parse(Body(response))!["output"]!.AsArray();
        Assert.Equal(["message", "image_generation_call"], items.Select(i => i!["type"]!.GetValue<string>()));
        Assert.Equal(Png, items[1]!["result"]!.GetValue<string>());
        Assert.Equal("completed", items[1]!["status"]!.GetValue<string>());
        Assert.Equal("png", items[1]!["output_format"]!.GetValue<string>());
        Assert.StartsWith("ig_", items[1]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_responses_stream_closes_the_text_then_sends_the_image_generation_call_events_and_lists_the_image_at_the_end()
    {
        var response = Response();
        var output = ResponsesOutput(response);

        await output.StartStreamAsync(CancellationToken.None);
        await output.WriteChunkAsync(Chunk("""{"role":"assistant","content":"Here"}"""), null, CancellationToken.None);
        await output.WriteChunkAsync(Chunk($$"""{"images":{{Images}}}"""), null, CancellationToken.None);
        await output.WriteChunkAsync(Chunk("{}", "stop"), null, CancellationToken.None);
        await output.EndStreamAsync(CancellationToken.None);

        var events = Events(response);
        var names = events.Select(e => e.Name).ToList();
        var imageEvents = names.SkipWhile(n => n != "response.output_text.done").ToList();
        Assert.Equal(
            ["response.output_text.done", "response.content_part.done", "response.output_item.done",
             "response.output_item.added", "response.image_generation_call.in_progress", "response.image_generation_call.generating",
             "response.image_generation_call.completed", "response.output_item.done", "response.completed"],
            imageEvents);
        var added = events.First(e => e.Name == "response.output_item.added" && e.Data["item"]!["type"]!.GetValue<string>() == "image_generation_call").Data;
        Assert.Equal(1, added["output_index"]!.GetValue<int>());
        Assert.Null(added["item"]!["result"]);
        var done = events.Last(e => e.Name == "response.output_item.done").Data["item"]!;
        Assert.Equal(Png, done["result"]!.GetValue<string>());
        var final = events[^1].Data["response"]!["output"]!.AsArray();
        Assert.Equal(["message", "image_generation_call"], final.Select(i => i!["type"]!.GetValue<string>()));
        Assert.Equal(Png, final[1]!["result"]!.GetValue<string>());
        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => e.Data["sequence_number"]!.GetValue<int>()));
    }

    [Fact]
    public async Task A_messages_answer_carries_the_image_as_a_base64_image_block_and_http_urls_as_url_sources()
    {
        var response = Response();
        var completion = (JsonObject)Completion.DeepClone();
        completion["choices"]![0]!["message"]!["images"]!.AsArray().Add(
            JsonNode.Parse("""{"type":"image_url","image_url":{"url":"https://example.com/cat.png"}}"""));

        await new AnthropicMessagesOutput(response, "google/gemini-2.5-flash-image", "msg_1")
            .WriteCompletionAsync(completion, ReadOnlyMemory<byte>.Empty, CancellationToken.None);

        var content = JsonNode.Parse(Body(response))!["content"]!.AsArray();
        Assert.Equal(["text", "image", "image"], content.Select(b => b!["type"]!.GetValue<string>()));
        Assert.Equal($$"""{"type":"base64","media_type":"image/png","data":"{{Png}}"}""", content[1]!["source"]!.ToJsonString());
        Assert.Equal("""{"type":"url","url":"https://example.com/cat.png"}""", content[2]!["source"]!.ToJsonString());
    }

    [Fact]
    public async Task A_messages_stream_sends_the_image_as_its_own_content_block_between_the_text_blocks()
    {
        var response = Response();
        var output = new AnthropicMessagesOutput(response, "google/gemini-2.5-flash-image", "msg_1");

        await output.StartStreamAsync(CancellationToken.None);
        await output.WriteChunkAsync(Chunk("""{"role":"assistant","content":"Here"}"""), null, CancellationToken.None);
        await output.WriteChunkAsync(Chunk($$"""{"images":{{Images}}}"""), null, CancellationToken.None);
        await output.WriteChunkAsync(Chunk("""{"content":" it is."}""", "stop"), null, CancellationToken.None);
        await output.EndStreamAsync(CancellationToken.None);

        var events = Events(response);
        var blocks = events.Where(e => e.Name == "content_block_start").Select(e => e.Data).ToList();
        Assert.Equal(["text", "image", "text"], blocks.Select(b => b["content_block"]!["type"]!.GetValue<string>()));
        Assert.Equal([0, 1, 2], blocks.Select(b => b["index"]!.GetValue<int>()));
        Assert.Equal(Png, blocks[1]["content_block"]!["source"]!["data"]!.GetValue<string>());
        // Every block opened is closed before the next one starts.
        var order = events.Where(e => e.Name is "content_block_start" or "content_block_stop").Select(e => (e.Name, e.Data["index"]!.GetValue<int>()));
        Assert.Equal(
            [("content_block_start", 0), ("content_block_stop", 0), ("content_block_start", 1), ("content_block_stop", 1), ("content_block_start", 2), ("content_block_stop", 2)],
            order);
        Assert.Equal("message_stop", events[^1].Name);
    }
}
