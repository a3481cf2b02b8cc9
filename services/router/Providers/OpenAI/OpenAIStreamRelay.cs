using System.Text;
using System.Text.Json.Nodes;
using Requesty.Router.Pipeline;

namespace Requesty.Router.Providers.OpenAI;

/// <summary>
/// Forwards an OpenAI chat completion stream event by event (flushing each), while reading the
/// usage, tool calls and answer text off it. We always ask upstream for usage; a client that did
/// not ask for it does not get the usage-only chunk.
/// </summary>
public sealed class OpenAIStreamRelay(TimeProvider time)
{
    public async Task<string> RelayAsync(Stream upstream, HttpResponse response, RequestRecord record, bool clientWantsUsage, CancellationToken cancellationToken)
    {
        await SseWriter.StartAsync(response, cancellationToken);

        var answer = new StringBuilder();
        var toolCalls = new StreamedToolCalls();
        using var reader = new StreamReader(upstream, Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (!line.StartsWith("data:", StringComparison.Ordinal)) continue;
            var payload = line.AsSpan(5).Trim().ToString();
            if (payload == "[DONE]")
            {
                await SseWriter.WriteDataAsync(response, payload, cancellationToken);
                break;
            }

            var chunk = JsonNode.Parse(payload) as JsonObject;
            if (chunk is null) continue;
            var choices = chunk["choices"] as JsonArray;
            if (chunk["usage"] is JsonObject usage)
            {
                record.Usage = OpenAIUsage.Read(usage) ?? record.Usage;
                if (!clientWantsUsage)
                {
                    if (choices is null || choices.Count == 0) continue;
                    chunk.Remove("usage");
                    payload = chunk.ToJsonString();
                }
            }
            if (choices is { Count: > 0 } && choices[0]?["delta"] is JsonObject delta)
            {
                record.FirstTokenAt ??= time.GetUtcNow().UtcDateTime;
                if (delta["content"] is JsonValue content && content.TryGetValue<string>(out var text)) answer.Append(text);
                if (delta["tool_calls"] is JsonArray calls) toolCalls.Add(calls);
            }
            await SseWriter.WriteDataAsync(response, payload, cancellationToken);
        }
        record.ToolCalls.AddRange(toolCalls.Made());
        return answer.ToString();
    }
}
