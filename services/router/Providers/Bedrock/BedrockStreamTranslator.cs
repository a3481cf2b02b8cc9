using System.Text;
using System.Text.Json.Nodes;
using Requesty.Router.Pipeline;
using Requesty.Router.Providers.OpenAI;

namespace Requesty.Router.Providers.Bedrock;

/// <summary>Bedrock converse-stream events (AWS event-stream framing) -> OpenAI chat.completion.chunk events.</summary>
public sealed class BedrockStreamTranslator(TimeProvider time)
{
    public async Task<string> RelayAsync(Stream upstream, IChatOutput output, RequestRecord record, ChatCompletionRequest request, CancellationToken cancellationToken)
    {
        await output.StartStreamAsync(cancellationToken);
        var id = OpenAIChunks.NewId();
        var created = time.GetUtcNow().ToUnixTimeSeconds();
        var answer = new StringBuilder();
        var toolCalls = new StreamedToolCalls();
        var toolIndexes = new Dictionary<int, int>(); // content block index -> OpenAI tool call index
        string? finishReason = null;
        var first = true;

        await foreach (var message in AwsEventStream.ReadAsync(upstream, cancellationToken))
        {
            var payload = message.Payload.Length > 0 ? JsonNode.Parse(message.Payload) : null;
            if (message.MessageType == "exception")
            {
                var error = $"bedrock: {message.ExceptionType}: {JsonBody.String(payload?["message"]) ?? "stream error"}";
                record.Fail(502, "upstream_error", error);
                await output.WriteStreamErrorAsync(error, cancellationToken);
                await output.EndStreamAsync(cancellationToken);
                return answer.ToString();
            }

            var delta = new JsonObject();
            switch (message.EventType)
            {
                case "contentBlockStart":
                    if (payload?["start"]?["toolUse"] is not JsonObject toolUse) break;
                    var index = toolIndexes.Count;
                    toolIndexes[(int)(payload["contentBlockIndex"]?.GetValue<int>() ?? 0)] = index;
                    delta["tool_calls"] = new JsonArray(new JsonObject
                    {
                        ["index"] = index, ["id"] = JsonBody.String(toolUse["toolUseId"]), ["type"] = "function",
                        ["function"] = new JsonObject { ["name"] = JsonBody.String(toolUse["name"]), ["arguments"] = "" },
                    });
                    break;
                case "contentBlockDelta":
                    var change = payload?["delta"];
                    if (JsonBody.String(change?["text"]) is { } text)
                    {
                        delta["content"] = text;
                        answer.Append(text);
                    }
                    if (JsonBody.String(change?["reasoningContent"]?["text"]) is { } thought) delta["reasoning_content"] = thought;
                    if (JsonBody.String(change?["toolUse"]?["input"]) is { } input
                        && toolIndexes.TryGetValue((int)(payload!["contentBlockIndex"]?.GetValue<int>() ?? 0), out var callIndex))
                    {
                        delta["tool_calls"] = new JsonArray(new JsonObject { ["index"] = callIndex, ["function"] = new JsonObject { ["arguments"] = input } });
                    }
                    break;
                case "messageStop":
                    finishReason = BedrockConverseMapper.FinishReason(JsonBody.String(payload?["stopReason"]));
                    break;
                case "metadata":
                    record.Usage = BedrockConverseMapper.ReadUsage(payload?["usage"]) ?? record.Usage;
                    break;
            }
            if (delta.Count == 0) continue;

            if (first) delta["role"] = "assistant";
            first = false;
            record.FirstTokenAt ??= time.GetUtcNow().UtcDateTime;
            if (delta["tool_calls"] is JsonArray calls) toolCalls.Add(calls);
            await output.WriteChunkAsync(OpenAIChunks.Delta(id, created, request.Model.Id, delta, null), null, cancellationToken);
        }

        await OpenAIChunks.WriteFinishAndUsageAsync(output, id, created, request.Model.Id, finishReason ?? "stop",
            BedrockConverseMapper.ToOpenAIUsage(record.Usage), cancellationToken);
        await output.EndStreamAsync(cancellationToken);
        record.ToolCalls.AddRange(toolCalls.Made());
        return answer.ToString();
    }
}
