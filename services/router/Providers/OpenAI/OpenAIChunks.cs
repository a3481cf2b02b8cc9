using System.Text.Json.Nodes;

namespace Requesty.Router.Providers.OpenAI;

/// <summary>OpenAI chat.completion.chunk events, as the translators of other providers' streams write them.</summary>
public static class OpenAIChunks
{
    public static string NewId() => "chatcmpl-" + Guid.NewGuid().ToString("N");

    public static JsonObject Delta(string id, long created, string model, JsonObject delta, string? finishReason) => new()
    {
        ["id"] = id,
        ["object"] = "chat.completion.chunk",
        ["created"] = created,
        ["model"] = model,
        ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finishReason }),
    };

    /// <summary>The closing chunks of a stream: an empty delta with the finish reason, then the usage (with no choices).</summary>
    public static async Task WriteFinishAndUsageAsync(IChatOutput output, string id, long created, string model, string finishReason, JsonObject usage,
        CancellationToken cancellationToken)
    {
        await output.WriteChunkAsync(Delta(id, created, model, new JsonObject(), finishReason), null, cancellationToken);
        await output.WriteChunkAsync(new JsonObject
        {
            ["id"] = id, ["object"] = "chat.completion.chunk", ["created"] = created, ["model"] = model,
            ["choices"] = new JsonArray(), ["usage"] = usage,
        }, null, cancellationToken);
    }
}
