using System.Text;
using System.Text.Json.Nodes;
using Requesty.Router.Accounting;
using Requesty.Router.Catalog;
using Requesty.Router.Pipeline;
using Requesty.Router.Providers;
using Requesty.Router.Providers.OpenAIResponses;

namespace Requesty.Router.Endpoints.Responses;

/// <summary>
/// Answers a /v1/responses client from a provider that spoke OpenAI's chat format: a completion
/// becomes one Responses object; a stream becomes the Responses event sequence (response.created,
/// response.in_progress, output items with their content parts and deltas, response.completed).
/// The usage, with its cost, is the record's: providers fill it before they end the answer.
/// </summary>
public sealed class ResponsesChatOutput(HttpResponse response, ResponseShell shell, RequestRecord record, ModelPrice price) : IChatOutput
{
    private readonly List<StreamedItem> _items = [];
    private readonly Dictionary<int, StreamedItem> _toolByIndex = [];
    private StreamedItem? _open;
    private int _sequence;
    private bool _started;
    private string? _finishReason;
    private string? _error;

    public async Task WriteCompletionAsync(JsonObject completion, ReadOnlyMemory<byte> raw, CancellationToken cancellationToken)
    {
        var message = JsonBody.First(completion["choices"])?["message"];
        var output = new JsonArray();
        if (JsonBody.String(message?["reasoning_content"]) is { Length: > 0 } reasoning)
            output.Add(ResponseShell.ReasoningItem(ResponseShell.NewId("rs_"), reasoning));
        var content = new JsonArray();
        if (JsonBody.String(message?["content"]) is { Length: > 0 } text) content.Add(ResponseShell.OutputText(text));
        if (JsonBody.String(message?["refusal"]) is { Length: > 0 } refusal) content.Add(new JsonObject { ["type"] = "refusal", ["refusal"] = refusal });
        if (content.Count > 0) output.Add(ResponseShell.MessageItem(ResponseShell.NewId("msg_"), "completed", content));
        foreach (var image in GeneratedImages(message?["images"]))
            output.Add(ResponseShell.ImageGenerationItem(ResponseShell.NewId("ig_"), "completed", image));
        foreach (var call in (message?["tool_calls"] as JsonArray ?? []).OfType<JsonObject>())
        {
            output.Add(ResponseShell.FunctionCallItem(ResponseShell.NewId("fc_"), JsonBody.String(call["id"]) ?? ResponseShell.NewId("call_"),
                JsonBody.String(call["function"]?["name"]) ?? "", JsonBody.String(call["function"]?["arguments"]) ?? "{}", "completed"));
        }

        var (status, incomplete) = ResponseShell.Outcome(ResponseShell.FinishReason(completion));
        var answer = shell.Build(status, output, Usage(), incomplete);
        response.StatusCode = 200;
        response.ContentType = "application/json";
        await response.WriteAsync(answer.ToJsonString(), cancellationToken);
    }

    public Task StartStreamAsync(CancellationToken cancellationToken) => SseWriter.StartAsync(response, cancellationToken);

    public async Task WriteChunkAsync(JsonObject chunk, string? raw, CancellationToken cancellationToken)
    {
        await EnsureStartedAsync(cancellationToken);
        if (JsonBody.First(chunk["choices"]) is not JsonObject choice) return;
        if (JsonBody.String(choice["finish_reason"]) is { } finish) _finishReason = finish;
        if (choice["delta"] is not JsonObject delta) return;

        if (JsonBody.String(delta["reasoning_content"]) is { Length: > 0 } reasoning)
        {
            var item = await EnsureOpenAsync(ItemKind.Reasoning, cancellationToken);
            item.Text.Append(reasoning);
            await EventAsync("response.reasoning_summary_text.delta", item.Summary(new JsonObject { ["delta"] = reasoning }), cancellationToken);
        }
        if (JsonBody.String(delta["content"]) is { Length: > 0 } text)
        {
            var item = await EnsureOpenAsync(ItemKind.Message, cancellationToken);
            item.Text.Append(text);
            await EventAsync("response.output_text.delta", item.Content(new JsonObject { ["delta"] = text, ["logprobs"] = new JsonArray() }), cancellationToken);
        }
        foreach (var image in GeneratedImages(delta["images"]))
        {
            await CloseOpenAsync(cancellationToken);
            var item = NewItem(ItemKind.ImageGeneration, "ig_");
            item.Image = image;
            await EventAsync("response.output_item.added", item.Indexed(new JsonObject { ["item"] = item.ToJson(done: false) }), cancellationToken);
            await EventAsync("response.image_generation_call.in_progress", item.Indexed(new JsonObject { ["item_id"] = item.Id }), cancellationToken);
            await EventAsync("response.image_generation_call.generating", item.Indexed(new JsonObject { ["item_id"] = item.Id }), cancellationToken);
            await EventAsync("response.image_generation_call.completed", item.Indexed(new JsonObject { ["item_id"] = item.Id }), cancellationToken);
            await CloseAsync(item, cancellationToken);
        }
        foreach (var call in (delta["tool_calls"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var toolIndex = call["index"] is JsonValue v && v.TryGetValue<int>(out var i) ? i : 0;
            if (!_toolByIndex.TryGetValue(toolIndex, out var item))
            {
                await CloseOpenAsync(cancellationToken);
                item = NewItem(ItemKind.FunctionCall, "fc_");
                item.CallId = JsonBody.String(call["id"]) ?? ResponseShell.NewId("call_");
                item.Name = JsonBody.String(call["function"]?["name"]) ?? "";
                _toolByIndex[toolIndex] = item;
                await EventAsync("response.output_item.added", item.Indexed(new JsonObject { ["item"] = item.ToJson(done: false) }), cancellationToken);
            }
            if (JsonBody.String(call["function"]?["arguments"]) is { Length: > 0 } arguments)
            {
                item.Text.Append(arguments);
                await EventAsync("response.function_call_arguments.delta", item.Indexed(new JsonObject { ["item_id"] = item.Id, ["delta"] = arguments }), cancellationToken);
            }
        }
    }

    public async Task WriteStreamErrorAsync(string message, CancellationToken cancellationToken)
    {
        await EnsureStartedAsync(cancellationToken);
        _error = message;
        await EventAsync("error", new JsonObject { ["code"] = "upstream_error", ["message"] = message, ["param"] = null }, cancellationToken);
    }

    public async Task EndStreamAsync(CancellationToken cancellationToken)
    {
        await EnsureStartedAsync(cancellationToken);
        await CloseOpenAsync(cancellationToken);
        foreach (var tool in _toolByIndex.Values.Where(t => !t.Done).OrderBy(t => t.OutputIndex))
            await CloseAsync(tool, cancellationToken);

        var output = new JsonArray([.. _items.Select(item => item.ToJson(done: true))]);
        if (_error is not null)
        {
            var failed = shell.Build("failed", output, Usage(), error: new JsonObject { ["code"] = "server_error", ["message"] = _error });
            await EventAsync("response.failed", new JsonObject { ["response"] = failed }, cancellationToken);
            return;
        }
        var (status, incomplete) = ResponseShell.Outcome(_finishReason);
        var final = shell.Build(status, output, Usage(), incomplete);
        await EventAsync(status == "completed" ? "response.completed" : "response.incomplete", new JsonObject { ["response"] = final }, cancellationToken);
    }

    private JsonObject Usage() => OpenAIResponsesUsage.Write(record.Usage, CostCalculator.Cost(record.Usage, price));

    private async Task EnsureStartedAsync(CancellationToken cancellationToken)
    {
        if (_started) return;
        _started = true;
        await EventAsync("response.created", new JsonObject { ["response"] = shell.Build("in_progress", [], null) }, cancellationToken);
        await EventAsync("response.in_progress", new JsonObject { ["response"] = shell.Build("in_progress", [], null) }, cancellationToken);
    }

    /// <summary>Text and reasoning are one item at a time; a new kind closes the one before.</summary>
    private async Task<StreamedItem> EnsureOpenAsync(ItemKind kind, CancellationToken cancellationToken)
    {
        if (_open?.Kind == kind) return _open;
        await CloseOpenAsync(cancellationToken);
        var item = NewItem(kind, kind == ItemKind.Message ? "msg_" : "rs_");
        _open = item;
        await EventAsync("response.output_item.added", item.Indexed(new JsonObject { ["item"] = item.ToJson(done: false) }), cancellationToken);
        if (kind == ItemKind.Message)
            await EventAsync("response.content_part.added", item.Content(new JsonObject { ["part"] = ResponseShell.OutputText("") }), cancellationToken);
        else
            await EventAsync("response.reasoning_summary_part.added", item.Summary(new JsonObject { ["part"] = SummaryPart("") }), cancellationToken);
        return item;
    }

    private async Task CloseOpenAsync(CancellationToken cancellationToken)
    {
        if (_open is null) return;
        await CloseAsync(_open, cancellationToken);
        _open = null;
    }

    private async Task CloseAsync(StreamedItem item, CancellationToken cancellationToken)
    {
        var text = item.Text.ToString();
        switch (item.Kind)
        {
            case ItemKind.Message:
                await EventAsync("response.output_text.done", item.Content(new JsonObject { ["text"] = text, ["logprobs"] = new JsonArray() }), cancellationToken);
                await EventAsync("response.content_part.done", item.Content(new JsonObject { ["part"] = ResponseShell.OutputText(text) }), cancellationToken);
                break;
            case ItemKind.Reasoning:
                await EventAsync("response.reasoning_summary_text.done", item.Summary(new JsonObject { ["text"] = text }), cancellationToken);
                await EventAsync("response.reasoning_summary_part.done", item.Summary(new JsonObject { ["part"] = SummaryPart(text) }), cancellationToken);
                break;
            case ItemKind.FunctionCall:
                await EventAsync("response.function_call_arguments.done",
                    item.Indexed(new JsonObject { ["item_id"] = item.Id, ["name"] = item.Name, ["arguments"] = text }), cancellationToken);
                break;
        }
        item.Done = true;
        await EventAsync("response.output_item.done", item.Indexed(new JsonObject { ["item"] = item.ToJson(done: true) }), cancellationToken);
    }

    private StreamedItem NewItem(ItemKind kind, string idPrefix)
    {
        var item = new StreamedItem(kind, ResponseShell.NewId(idPrefix), _items.Count);
        _items.Add(item);
        return item;
    }

    /// <summary>
    /// message.images / delta.images entries (data URLs) as base64 images; the Responses API has no item for an image by
    /// URL, so one that is not inline is left out.
    /// </summary>
    private static IEnumerable<GeneratedImage> GeneratedImages(JsonNode? images)
    {
        foreach (var image in (images as JsonArray ?? []).OfType<JsonObject>())
        {
            var url = JsonBody.String(image["image_url"] is JsonObject o ? o["url"] : image["image_url"]);
            if (GeneratedImage.FromDataUrl(url) is { } generated) yield return generated;
        }
    }

    private static JsonObject SummaryPart(string text) => new() { ["type"] = "summary_text", ["text"] = text };

    private async Task EventAsync(string type, JsonObject data, CancellationToken cancellationToken)
    {
        data["type"] = type;
        data["sequence_number"] = _sequence++;
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes($"event: {type}\ndata: {data.ToJsonString()}\n\n"), cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    private enum ItemKind
    {
        Reasoning,
        Message,
        FunctionCall,
        ImageGeneration,
    }

    /// <summary>An output item being streamed: its place in <c>output</c> and the text gathered so far.</summary>
    private sealed class StreamedItem(ItemKind kind, string id, int outputIndex)
    {
        public ItemKind Kind { get; } = kind;
        public string Id { get; } = id;
        public int OutputIndex { get; } = outputIndex;
        public StringBuilder Text { get; } = new();
        public string CallId { get; set; } = "";
        public string Name { get; set; } = "";
        public bool Done { get; set; }
        public GeneratedImage? Image { get; set; }

        public JsonObject Indexed(JsonObject data)
        {
            data["output_index"] = OutputIndex;
            return data;
        }

        public JsonObject Content(JsonObject data)
        {
            data["item_id"] = Id;
            data["content_index"] = 0;
            return Indexed(data);
        }

        public JsonObject Summary(JsonObject data)
        {
            data["item_id"] = Id;
            data["summary_index"] = 0;
            return Indexed(data);
        }

        public JsonObject ToJson(bool done)
        {
            var status = done ? "completed" : "in_progress";
            return Kind switch
            {
                ItemKind.Message => ResponseShell.MessageItem(Id, status, done ? [ResponseShell.OutputText(Text.ToString())] : []),
                ItemKind.Reasoning => ResponseShell.ReasoningItem(Id, done ? Text.ToString() : null),
                ItemKind.ImageGeneration => ResponseShell.ImageGenerationItem(Id, done ? "completed" : "in_progress", done ? Image : null),
                _ => ResponseShell.FunctionCallItem(Id, CallId, Name, done ? Text.ToString() : "", status),
            };
        }
    }
}
