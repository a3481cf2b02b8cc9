using System.Text;
using System.Text.Json.Nodes;
using Requesty.Router.Pipeline;
using Requesty.Router.Providers.OpenAI;

namespace Requesty.Router.Providers.Google;

/// <summary>Gemini streamGenerateContent (alt=sse) chunks -> OpenAI chat.completion.chunk events.</summary>
public sealed class GeminiStreamTranslator(TimeProvider time)
{
    public async Task<string> RelayAsync(Stream upstream, IChatOutput output, RequestRecord record, ChatCompletionRequest request, CancellationToken cancellationToken)
    {
        await output.StartStreamAsync(cancellationToken);
        var id = OpenAIChunks.NewId();
        var created = time.GetUtcNow().ToUnixTimeSeconds();
        var answer = new StringBuilder();
        var toolCalls = new StreamedToolCalls();
        var toolCount = 0;
        string? finishReason = null;
        var first = true;

        using var reader = new StreamReader(upstream, Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (!line.StartsWith("data:", StringComparison.Ordinal)) continue;
            if (JsonNode.Parse(line.AsMemory(5).ToString()) is not JsonObject chunk) continue;
            record.Usage = GeminiResponseMapper.ReadUsage(chunk["usageMetadata"]) ?? record.Usage;
            if (JsonBody.First(chunk["candidates"]) is not JsonObject candidate) continue;

            var (text, thoughts, calls, images) = GeminiResponseMapper.ReadParts(candidate, toolCount);
            var delta = new JsonObject();
            if (first) delta["role"] = "assistant";
            if (text.Length > 0) delta["content"] = text;
            if (thoughts.Length > 0) delta["reasoning_content"] = thoughts;
            if (images.Count > 0) delta["images"] = images;
            if (calls.Count > 0)
            {
                delta["tool_calls"] = calls;
                toolCalls.Add(calls);
                toolCount += calls.Count;
            }
            if (JsonBody.String(candidate["finishReason"]) is { } reason) finishReason = toolCount > 0 ? "tool_calls" : GeminiResponseMapper.FinishReason(reason);
            if (delta.Count == 0) continue;

            first = false;
            answer.Append(text);
            if (text.Length > 0 || calls.Count > 0 || thoughts.Length > 0 || images.Count > 0) record.FirstTokenAt ??= time.GetUtcNow().UtcDateTime;
            await output.WriteChunkAsync(OpenAIChunks.Delta(id, created, request.Model.Id, delta, null), null, cancellationToken);
        }

        await OpenAIChunks.WriteFinishAndUsageAsync(output, id, created, request.Model.Id, finishReason ?? "stop",
            GeminiResponseMapper.ToOpenAIUsage(record.Usage), cancellationToken);
        await output.EndStreamAsync(cancellationToken);
        record.ToolCalls.AddRange(toolCalls.Made());
        return answer.ToString();
    }
}
