using System.Text.Json.Nodes;
using Requesty.Router.Providers;

namespace Requesty.Router.Endpoints.ChatCompletions;

/// <summary>
/// Answers a /v1/chat/completions client. The completion's id is our request id, so the client can
/// send feedback for it. Upstream is always asked for stream usage; a client that did not ask for
/// it (stream_options.include_usage) does not get the usage-only chunk.
/// </summary>
public sealed class OpenAIChatOutput(HttpResponse response, bool clientWantsUsage, Guid requestId) : IChatOutput
{
    private readonly string _id = requestId.ToString();

    public async Task WriteCompletionAsync(JsonObject completion, ReadOnlyMemory<byte> raw, CancellationToken cancellationToken)
    {
        completion["id"] = _id;
        var bytes = System.Text.Encoding.UTF8.GetBytes(completion.ToJsonString());
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
        }
        chunk["id"] = _id;
        return SseWriter.WriteDataAsync(response, chunk.ToJsonString(), cancellationToken);
    }

    public Task WriteStreamErrorAsync(string message, CancellationToken cancellationToken) =>
        SseWriter.WriteDataAsync(response, new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["type"] = "api_error" } }.ToJsonString(), cancellationToken);

    public Task EndStreamAsync(CancellationToken cancellationToken) => SseWriter.WriteDataAsync(response, "[DONE]", cancellationToken);
}
