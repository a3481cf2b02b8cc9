using System.Text.Json.Nodes;
using Requesty.Router.Providers;

namespace Requesty.Router.Endpoints.ChatCompletions;

/// <summary>
/// Answers a /v1/chat/completions client. Upstream is always asked for stream usage; a client that
/// did not ask for it (stream_options.include_usage) does not get the usage-only chunk.
/// </summary>
public sealed class OpenAIChatOutput(HttpResponse response, bool clientWantsUsage) : IChatOutput
{
    public async Task WriteCompletionAsync(JsonObject completion, ReadOnlyMemory<byte> raw, CancellationToken cancellationToken)
    {
        var bytes = raw.IsEmpty ? System.Text.Encoding.UTF8.GetBytes(completion.ToJsonString()) : raw;
        response.StatusCode = 200;
        response.ContentType = "application/json";
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, cancellationToken);
    }

    public Task StartStreamAsync(CancellationToken cancellationToken) => SseWriter.StartAsync(response, cancellationToken);

    public Task WriteChunkAsync(JsonObject chunk, string? raw, CancellationToken cancellationToken)
    {
        if (!clientWantsUsage && chunk["usage"] is JsonObject)
        {
            if (chunk["choices"] is not JsonArray { Count: > 0 }) return Task.CompletedTask;
            chunk.Remove("usage");
            raw = null;
        }
        return SseWriter.WriteDataAsync(response, raw ?? chunk.ToJsonString(), cancellationToken);
    }

    public Task WriteStreamErrorAsync(string message, CancellationToken cancellationToken) =>
        SseWriter.WriteDataAsync(response, new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["type"] = "api_error" } }.ToJsonString(), cancellationToken);

    public Task EndStreamAsync(CancellationToken cancellationToken) => SseWriter.WriteDataAsync(response, "[DONE]", cancellationToken);
}
