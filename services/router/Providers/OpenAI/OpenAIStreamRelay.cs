using System.Text;
using System.Text.Json.Nodes;
using Requesty.Router.Pipeline;

namespace Requesty.Router.Providers.OpenAI;

/// <summary>
/// Forwards an OpenAI chat completion stream chunk by chunk while reading the usage, tool calls and
/// answer text off it. Chunks go on as their original text unless the output must change them.
/// </summary>
public sealed class OpenAIStreamRelay(TimeProvider time)
{
    public async Task<string> RelayAsync(Stream upstream, IChatOutput output, RequestRecord record, CancellationToken cancellationToken)
    {
        await output.StartStreamAsync(cancellationToken);
        var answer = new StringBuilder();
        var toolCalls = new StreamedToolCalls();
        using var reader = new StreamReader(upstream, Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (!line.StartsWith("data:", StringComparison.Ordinal)) continue;
            var payload = line.AsSpan(5).Trim().ToString();
            if (payload == "[DONE]") break;
            if (JsonNode.Parse(payload) is not JsonObject chunk) continue;

            if (chunk["error"] is JsonObject error)
            {
                var message = JsonBody.String(error["message"]) ?? "stream error";
                record.Fail(502, "upstream_error", "openai: " + message);
                await output.WriteStreamErrorAsync("openai: " + message, cancellationToken);
                break;
            }
            if (chunk["usage"] is JsonObject usage) record.Usage = OpenAIUsage.Read(usage) ?? record.Usage;
            if (chunk["choices"] is JsonArray { Count: > 0 } choices && choices[0]?["delta"] is JsonObject delta)
            {
                record.FirstTokenAt ??= time.GetUtcNow().UtcDateTime;
                if (delta["content"] is JsonValue content && content.TryGetValue<string>(out var text)) answer.Append(text);
                if (delta["tool_calls"] is JsonArray calls) toolCalls.Add(calls);
            }
            await output.WriteChunkAsync(chunk, payload, cancellationToken);
        }
        await output.EndStreamAsync(cancellationToken);
        record.ToolCalls.AddRange(toolCalls.Made());
        return answer.ToString();
    }
}
