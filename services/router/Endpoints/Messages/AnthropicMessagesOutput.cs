using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Requesty.Router.Endpoints.Responses;
using Requesty.Router.Pipeline;
using Requesty.Router.Providers;

namespace Requesty.Router.Endpoints.Messages;

/// <summary>
/// Answers a /v1/messages client from a provider that spoke OpenAI's chat format: a whole
/// completion becomes one Anthropic message; a stream becomes Anthropic's exact event sequence
/// (message_start, ping, content_block_start/delta/stop per block, message_delta, message_stop).
/// The message id carries our request id, so the client can send feedback for it.
/// </summary>
public sealed class AnthropicMessagesOutput(HttpResponse response, string model, string messageId) : IEventBatchingOutput
{
    // The first tool call streams live; parallel ones are held whole until the end, because their
    // argument pieces may arrive interleaved and Anthropic blocks cannot be reopened once stopped.
    private readonly SortedDictionary<int, HeldToolCall> _heldTools = [];
    // Images that arrive while a tool call streams wait for the end, for the same reason.
    private readonly List<JsonObject> _heldImages = [];
    private int? _liveTool;
    private int? _liveToolBlock;
    private bool _started;
    private int _nextBlock;
    private int? _openBlock;
    private string? _openKind;
    private string _stopReason = "end_turn";
    private JsonObject? _usage;
    private Utf8JsonWriter? _json;
    private bool _holdEvents;
    private bool _unsent;

    public async Task WriteCompletionAsync(JsonObject completion, ReadOnlyMemory<byte> raw, CancellationToken cancellationToken)
    {
        var choice = JsonBody.First(completion["choices"]);
        var message = choice?["message"];
        var content = new JsonArray();
        if (JsonBody.String(message?["reasoning_content"]) is { Length: > 0 } thinking)
            content.Add(new JsonObject { ["type"] = "thinking", ["thinking"] = thinking, ["signature"] = "" });
        if (JsonBody.String(message?["content"]) is { Length: > 0 } text)
            content.Add(new JsonObject { ["type"] = "text", ["text"] = text });
        foreach (var image in ImageBlocks(message?["images"])) content.Add(image);
        foreach (var call in (message?["tool_calls"] as JsonArray ?? []).OfType<JsonObject>())
        {
            content.Add(new JsonObject
            {
                ["type"] = "tool_use",
                ["id"] = JsonBody.String(call["id"]),
                ["name"] = JsonBody.String(call["function"]?["name"]),
                ["input"] = ParseArguments(JsonBody.String(call["function"]?["arguments"])),
            });
        }

        var answer = new JsonObject
        {
            ["id"] = messageId,
            ["type"] = "message",
            ["role"] = "assistant",
            ["model"] = model,
            ["content"] = content,
            ["stop_reason"] = StopReason(JsonBody.String(choice?["finish_reason"])),
            ["stop_sequence"] = null,
            ["usage"] = Usage(completion["usage"]),
        };
        response.StatusCode = 200;
        response.ContentType = "application/json";
        await response.WriteAsync(answer.ToJsonString(), cancellationToken);
    }

    public Task StartStreamAsync(CancellationToken cancellationToken) => SseWriter.StartAsync(response, cancellationToken);

    public async Task WriteChunkAsync(JsonObject chunk, string? raw, CancellationToken cancellationToken)
    {
        if (!_started)
        {
            _started = true;
            await EventAsync("message_start", new JsonObject
            {
                ["type"] = "message_start",
                ["message"] = new JsonObject
                {
                    ["id"] = messageId, ["type"] = "message", ["role"] = "assistant", ["model"] = model,
                    ["content"] = new JsonArray(), ["stop_reason"] = null, ["stop_sequence"] = null,
                    ["usage"] = new JsonObject { ["input_tokens"] = 0, ["output_tokens"] = 0 },
                },
            }, cancellationToken);
            await EventAsync("ping", new JsonObject { ["type"] = "ping" }, cancellationToken);
        }
        if (chunk["usage"] is JsonObject usage) _usage = Usage(usage);
        if (JsonBody.First(chunk["choices"]) is not JsonObject choice) return;
        if (JsonBody.String(choice["finish_reason"]) is { } finish) _stopReason = StopReason(finish);
        if (choice["delta"] is not JsonObject delta) return;

        if (JsonBody.String(delta["reasoning_content"]) is { Length: > 0 } thinking)
        {
            await EnsureBlockAsync("thinking", new JsonObject { ["type"] = "thinking", ["thinking"] = "", ["signature"] = "" }, cancellationToken);
            await DeltaAsync(new JsonObject { ["type"] = "thinking_delta", ["thinking"] = thinking }, cancellationToken);
        }
        if (JsonBody.String(delta["content"]) is { Length: > 0 } text)
        {
            await EnsureBlockAsync("text", new JsonObject { ["type"] = "text", ["text"] = "" }, cancellationToken);
            await DeltaAsync(new JsonObject { ["type"] = "text_delta", ["text"] = text }, cancellationToken);
        }
        foreach (var image in ImageBlocks(delta["images"]))
        {
            if (_liveTool is not null)
            {
                _heldImages.Add(image);
                continue;
            }
            await CloseBlockAsync(cancellationToken);
            await OpenBlockAsync("image", image, cancellationToken);
            await CloseBlockAsync(cancellationToken);
        }
        foreach (var call in (delta["tool_calls"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var toolIndex = call["index"] is JsonValue v && v.TryGetValue<int>(out var i) ? i : 0;
            var arguments = JsonBody.String(call["function"]?["arguments"]);
            if (_liveTool is null && _heldTools.Count == 0)
            {
                await CloseBlockAsync(cancellationToken);
                _liveTool = toolIndex;
                _liveToolBlock = await OpenBlockAsync("tool_use", ToolUseStart(call), cancellationToken);
            }
            if (toolIndex == _liveTool)
            {
                if (arguments is { Length: > 0 } && _openBlock == _liveToolBlock)
                    await DeltaAsync(new JsonObject { ["type"] = "input_json_delta", ["partial_json"] = arguments }, cancellationToken);
                continue;
            }
            if (!_heldTools.TryGetValue(toolIndex, out var held)) _heldTools[toolIndex] = held = new HeldToolCall(ToolUseStart(call));
            held.Arguments.Append(arguments);
        }
    }

    /// <summary>message.images / delta.images (OpenAI format, data or http URLs) -> Anthropic image content blocks.</summary>
    private static IEnumerable<JsonObject> ImageBlocks(JsonNode? images)
    {
        foreach (var image in (images as JsonArray ?? []).OfType<JsonObject>())
        {
            var url = JsonBody.String(image["image_url"] is JsonObject o ? o["url"] : image["image_url"]);
            JsonObject? source = GeneratedImage.FromDataUrl(url) is { } inline
                ? new JsonObject { ["type"] = "base64", ["media_type"] = inline.MediaType, ["data"] = inline.Base64 }
                : url is { Length: > 0 } ? new JsonObject { ["type"] = "url", ["url"] = url } : null;
            if (source is not null) yield return new JsonObject { ["type"] = "image", ["source"] = source };
        }
    }

    private static JsonObject ToolUseStart(JsonObject call) => new()
    {
        ["type"] = "tool_use",
        ["id"] = JsonBody.String(call["id"]) ?? "toolu_" + Guid.NewGuid().ToString("N"),
        ["name"] = JsonBody.String(call["function"]?["name"]) ?? "",
        ["input"] = new JsonObject(),
    };

    private sealed record HeldToolCall(JsonObject Start)
    {
        public StringBuilder Arguments { get; } = new();
    }

    public async Task WriteStreamErrorAsync(string message, CancellationToken cancellationToken) =>
        await EventAsync("error", new JsonObject
        {
            ["type"] = "error",
            ["error"] = new JsonObject { ["type"] = "api_error", ["message"] = message },
        }, cancellationToken);

    public async Task EndStreamAsync(CancellationToken cancellationToken)
    {
        if (!_started) await WriteChunkAsync(new JsonObject(), null, cancellationToken);
        await CloseBlockAsync(cancellationToken);
        foreach (var image in _heldImages)
        {
            await OpenBlockAsync("image", image, cancellationToken);
            await CloseBlockAsync(cancellationToken);
        }
        foreach (var held in _heldTools.Values)
        {
            await OpenBlockAsync("tool_use", held.Start, cancellationToken);
            if (held.Arguments.Length > 0)
                await DeltaAsync(new JsonObject { ["type"] = "input_json_delta", ["partial_json"] = held.Arguments.ToString() }, cancellationToken);
            await CloseBlockAsync(cancellationToken);
        }
        await EventAsync("message_delta", new JsonObject
        {
            ["type"] = "message_delta",
            ["delta"] = new JsonObject { ["stop_reason"] = _stopReason, ["stop_sequence"] = null },
            ["usage"] = _usage ?? new JsonObject { ["output_tokens"] = 0 },
        }, cancellationToken);
        await EventAsync("message_stop", new JsonObject { ["type"] = "message_stop" }, cancellationToken);
        await SendHeldAsync(cancellationToken);
    }

    private async Task EnsureBlockAsync(string kind, JsonObject start, CancellationToken cancellationToken)
    {
        if (_openKind == kind) return;
        await CloseBlockAsync(cancellationToken);
        await OpenBlockAsync(kind, start, cancellationToken);
    }

    private async Task<int> OpenBlockAsync(string kind, JsonObject start, CancellationToken cancellationToken)
    {
        var index = _nextBlock++;
        _openBlock = index;
        _openKind = kind;
        await EventAsync("content_block_start", new JsonObject { ["type"] = "content_block_start", ["index"] = index, ["content_block"] = start }, cancellationToken);
        return index;
    }

    private async Task CloseBlockAsync(CancellationToken cancellationToken)
    {
        if (_openBlock is not { } index) return;
        await EventAsync("content_block_stop", new JsonObject { ["type"] = "content_block_stop", ["index"] = index }, cancellationToken);
        _openBlock = null;
        _openKind = null;
    }

    private Task DeltaAsync(JsonObject delta, CancellationToken cancellationToken) =>
        EventAsync("content_block_delta", new JsonObject { ["type"] = "content_block_delta", ["index"] = _openBlock, ["delta"] = delta }, cancellationToken);

    public void HoldEvents() => _holdEvents = true;

    public async ValueTask SendHeldAsync(CancellationToken cancellationToken)
    {
        if (!_unsent) return;
        _unsent = false;
        await response.BodyWriter.FlushAsync(cancellationToken);
    }

    /// <summary>Writes one SSE event straight into the response's buffer (the JSON as ToJsonString writes it).</summary>
    private async Task EventAsync(string name, JsonObject data, CancellationToken cancellationToken)
    {
        var body = response.BodyWriter;
        body.Write("event: "u8);
        Encoding.UTF8.GetBytes(name, body);
        body.Write("\ndata: "u8);
        if (_json is null) _json = new Utf8JsonWriter(body);
        else _json.Reset(body);
        data.WriteTo(_json);
        _json.Flush();
        body.Write("\n\n"u8);
        _unsent = true;
        if (!_holdEvents) await SendHeldAsync(cancellationToken);
    }

    /// <summary>OpenAI usage -> Anthropic usage (whose input excludes cache reads).</summary>
    private static JsonObject Usage(JsonNode? usage)
    {
        var prompt = Long(usage?["prompt_tokens"]);
        var cached = Long(usage?["prompt_tokens_details"]?["cached_tokens"]);
        return new JsonObject
        {
            ["input_tokens"] = Math.Max(0, prompt - cached),
            ["output_tokens"] = Long(usage?["completion_tokens"]),
            ["cache_read_input_tokens"] = cached,
            ["cache_creation_input_tokens"] = 0,
        };
    }

    private static string StopReason(string? finishReason) => finishReason switch
    {
        "length" => "max_tokens",
        "tool_calls" or "function_call" => "tool_use",
        "content_filter" => "refusal",
        _ => "end_turn",
    };

    private static JsonNode ParseArguments(string? arguments)
    {
        try
        {
            return string.IsNullOrWhiteSpace(arguments) ? new JsonObject() : JsonNode.Parse(arguments) ?? new JsonObject();
        }
        catch (JsonException)
        {
            return new JsonObject();
        }
    }

    private static long Long(JsonNode? node) => node is JsonValue v && v.TryGetValue<long>(out var n) ? n : 0;
}
