using System.Text.Json.Nodes;
using Requesty.Router.Catalog;
using Requesty.Router.Pipeline;

namespace Requesty.Router.Routing;

/// <summary>What a request needs from a model, so policy entries that cannot serve it are skipped without a call.</summary>
public sealed record RouteRequirements(bool Stream, bool Tools, bool Vision, int EstimatedInputTokens)
{
    /// <summary>The kind of model the endpoint needs (chat unless said otherwise).</summary>
    public ModelKind Kind { get; init; } = ModelKind.Chat;

    /// <summary>A request that needs nothing but a model of <paramref name="kind"/> (embeddings, images).</summary>
    public static RouteRequirements Of(ModelKind kind) => new(false, false, false, 0) { Kind = kind };

    /// <summary>Why <paramref name="model"/> cannot serve the request, or null when it can.</summary>
    public string? Mismatch(CatalogModel model)
    {
        if (model.Kind != Kind) return $"not a{(Kind is ModelKind.Embedding or ModelKind.Image ? "n" : "")} {Kind.ToString().ToLowerInvariant()} model";
        if (Stream && !model.SupportsStreaming) return "no streaming support";
        if (Tools && !model.SupportsTools) return "no tool support";
        if (Vision && !model.SupportsVision) return "no vision support";
        if (model.ContextWindow > 0 && EstimatedInputTokens > model.ContextWindow) return $"context window {model.ContextWindow} too small";
        return null;
    }

    /// <summary>An OpenAI chat request: tools, image_url parts, about four characters a token.</summary>
    public static RouteRequirements FromChat(JsonObject body, bool stream) => new(
        stream,
        body["tools"] is JsonArray { Count: > 0 },
        HasPart(body["messages"], "image_url"),
        Estimate(body));

    /// <summary>An Anthropic Messages request: tools, image blocks.</summary>
    public static RouteRequirements FromMessages(JsonObject body, bool stream) => new(
        stream,
        body["tools"] is JsonArray { Count: > 0 },
        HasPart(body["messages"], "image"),
        Estimate(body));

    private static bool HasPart(JsonNode? messages, string type) =>
        (messages as JsonArray ?? []).OfType<JsonObject>()
            .Any(m => (m["content"] as JsonArray ?? []).OfType<JsonObject>().Any(part => JsonBody.String(part["type"]) == type));

    // Base64 images would dominate a character count without being tokens of text.
    private static int Estimate(JsonObject body)
    {
        var length = 0;
        foreach (var message in (body["messages"] as JsonArray ?? []).OfType<JsonObject>())
        {
            length += message["content"] switch
            {
                JsonValue text => JsonBody.String(text)?.Length ?? 0,
                JsonArray parts => parts.OfType<JsonObject>().Sum(p => JsonBody.String(p["text"])?.Length ?? 0),
                _ => 0,
            };
        }
        return length / 4;
    }
}
