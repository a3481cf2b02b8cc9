using System.Text;
using System.Text.Json.Nodes;
using Requesty.Router.Pipeline;
using Requesty.Router.Providers.OpenAI;

namespace Requesty.Router.Providers.Anthropic;

/// <summary>
/// Anthropic's SSE events -> OpenAI chat.completion.chunk events, one out per meaningful one in:
/// text and thinking deltas, thinking signatures and redacted thinking (as delta.thinking_blocks),
/// tool_use starts and their partial JSON arguments, the stop reason, then a usage chunk. When JSON was asked for by
/// instruction the text comes without the code fence Claude may wrap it in, as the non-streamed answer does.
/// </summary>
public sealed class AnthropicStreamTranslator(TimeProvider time)
{
    /// <param name="structuredOutputs">Whether a json_schema was sent as output_config (enforced) rather than as an instruction.</param>
    public async Task<string> RelayAsync(Stream upstream, IChatOutput output, RequestRecord record, ChatCompletionRequest request, bool structuredOutputs,
        CancellationToken cancellationToken)
    {
        await output.StartStreamAsync(cancellationToken);
        var created = time.GetUtcNow().ToUnixTimeSeconds();
        var state = new StreamState { Fence = AnthropicChatProvider.AsksForJsonByInstruction(request, structuredOutputs) ? new StreamingCodeFenceStripper() : null };
        var toolCalls = new StreamedToolCalls();
        // Events that arrived together leave together: one send to the client per upstream read.
        var batching = output as IEventBatchingOutput;
        batching?.HoldEvents();
        await SseLines.ReadAsync(upstream, async line =>
            {
                if (!line.Span.StartsWith("data:"u8) || JsonNode.Parse(line.Span[5..]) is not JsonObject data) return false;
                var delta = Translate(data, state, record);
                if (delta is null) return false;
                if (delta["tool_calls"] is JsonArray calls) toolCalls.Add(calls);
                await WriteDeltaAsync(delta);
                return false;
            },
            () => batching?.SendHeldAsync(cancellationToken) ?? ValueTask.CompletedTask,
            cancellationToken);
        if (state.Fence?.Finish() is { Length: > 0 } rest)
        {
            state.Answer.Append(rest);
            await WriteDeltaAsync(new JsonObject { ["content"] = rest });
        }

        if (state.Error is { } error)
        {
            record.Fail(502, "upstream_error", "anthropic: " + error);
            await output.WriteStreamErrorAsync("anthropic: " + error, cancellationToken);
        }
        else
        {
            await OpenAIChunks.WriteFinishAndUsageAsync(output, state.ChunkId, created, request.Model.Id, state.FinishReason ?? "stop",
                AnthropicUsage.ToOpenAI(record.Usage), cancellationToken);
        }
        await output.EndStreamAsync(cancellationToken);
        record.ToolCalls.AddRange(toolCalls.Made());
        return state.Answer.ToString();

        Task WriteDeltaAsync(JsonObject delta)
        {
            if (delta.Count > 0) record.FirstTokenAt ??= time.GetUtcNow().UtcDateTime;
            return output.WriteChunkAsync(OpenAIChunks.Delta(state.ChunkId, created, request.Model.Id, delta, finishReason: null), null, cancellationToken);
        }
    }

    /// <summary>The OpenAI delta for one Anthropic event, or null when the event has nothing for the client.</summary>
    private static JsonObject? Translate(JsonObject data, StreamState state, RequestRecord record)
    {
        switch (JsonBody.String(data["type"]))
        {
            case "message_start":
                state.MessageId = JsonBody.String(data["message"]?["id"]) ?? state.MessageId;
                record.Usage = AnthropicUsage.Read(data["message"]?["usage"], record.Usage);
                return new JsonObject { ["role"] = "assistant", ["content"] = "" };
            case "content_block_start" when JsonBody.String(data["content_block"]?["type"]) == "redacted_thinking":
                return ThinkingBlock(data["content_block"]!.DeepClone());
            case "content_block_start" when JsonBody.String(data["content_block"]?["type"]) == "tool_use":
                var toolIndex = state.StartTool(Index(data));
                return ToolDelta(toolIndex, new JsonObject
                {
                    ["index"] = toolIndex,
                    ["id"] = JsonBody.String(data["content_block"]?["id"]),
                    ["type"] = "function",
                    ["function"] = new JsonObject { ["name"] = JsonBody.String(data["content_block"]?["name"]), ["arguments"] = "" },
                });
            case "content_block_delta":
                var delta = data["delta"];
                switch (JsonBody.String(delta?["type"]))
                {
                    case "text_delta":
                        var text = JsonBody.String(delta?["text"]) ?? "";
                        if (state.Fence is { } fence)
                        {
                            text = fence.Append(text);
                            if (text.Length == 0) return null; // held back until it is known whether it is part of a fence
                        }
                        state.Answer.Append(text);
                        return new JsonObject { ["content"] = text };
                    case "thinking_delta":
                        return new JsonObject { ["reasoning_content"] = JsonBody.String(delta?["thinking"]) ?? "" };
                    case "signature_delta":
                        // The thinking text went out as reasoning_content; this block carries only the signature that ends it.
                        return ThinkingBlock(new JsonObject { ["type"] = "thinking", ["thinking"] = "", ["signature"] = JsonBody.String(delta?["signature"]) ?? "" });
                    case "input_json_delta" when state.ToolIndexOf(Index(data)) is { } index:
                        return ToolDelta(index, new JsonObject
                        {
                            ["index"] = index,
                            ["function"] = new JsonObject { ["arguments"] = JsonBody.String(delta?["partial_json"]) ?? "" },
                        });
                }
                return null;
            case "message_delta":
                state.FinishReason = AnthropicResponseMapper.FinishReason(JsonBody.String(data["delta"]?["stop_reason"]));
                record.Usage = AnthropicUsage.Read(data["usage"], record.Usage);
                return null;
            case "error":
                state.Error = JsonBody.String(data["error"]?["message"]) ?? "stream error";
                return null;
            default:
                return null;
        }
    }

    private static JsonObject ThinkingBlock(JsonNode block) => new() { ["thinking_blocks"] = new JsonArray(block) };

    private static JsonObject ToolDelta(int index, JsonObject call) => new() { ["tool_calls"] = new JsonArray(call) };

    private static int Index(JsonObject data) => data["index"] is JsonValue v && v.TryGetValue<int>(out var i) ? i : 0;

    private sealed class StreamState
    {
        private readonly Dictionary<int, int> _toolIndexByBlock = [];

        public string MessageId { get; set; } = Guid.NewGuid().ToString("N");
        public string? FinishReason { get; set; }
        public string? Error { get; set; }
        public StringBuilder Answer { get; } = new();
        /// <summary>Set when the request asked for JSON by instruction: the answer's text loses its markdown code fence.</summary>
        public StreamingCodeFenceStripper? Fence { get; init; }

        public int StartTool(int blockIndex) => _toolIndexByBlock[blockIndex] = _toolIndexByBlock.Count;

        public int? ToolIndexOf(int blockIndex) => _toolIndexByBlock.TryGetValue(blockIndex, out var index) ? index : null;

        public string ChunkId => "chatcmpl-" + MessageId;
    }
}
