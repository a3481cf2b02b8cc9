using System.Text.Json;
using System.Text.Json.Nodes;

namespace Requesty.Router.Endpoints.Images;

/// <summary>What the OpenAI Images API accepts in a generation request, checked before anything goes upstream.</summary>
public static class ImagesRequestRules
{
    public const int MaxImages = 10;

    private static readonly string[] Qualities = ["auto", "standard", "hd", "low", "medium", "high"];
    private static readonly string[] ResponseFormats = ["url", "b64_json"];
    private static readonly string[] Backgrounds = ["auto", "transparent", "opaque"];
    private static readonly string[] OutputFormats = ["png", "jpeg", "webp"];

    /// <summary>The first problem as (param, message), or null when the request is acceptable.</summary>
    public static (string Param, string Message)? Check(JsonObject body)
    {
        if (JsonString(body["prompt"]) is not { } prompt || string.IsNullOrWhiteSpace(prompt))
            return ("prompt", "'prompt' is required and must be a non-empty string.");
        if (body["n"] is { } n && !(Integer(n) is >= 1 and <= MaxImages))
            return ("n", $"'n' must be an integer between 1 and {MaxImages}.");
        if (OneOf(body, "response_format", ResponseFormats) is { } responseFormat) return responseFormat;
        if (OneOf(body, "quality", Qualities) is { } quality) return quality;
        if (OneOf(body, "background", Backgrounds) is { } background) return background;
        if (OneOf(body, "output_format", OutputFormats) is { } outputFormat) return outputFormat;
        if (body["size"] is { } size && !IsSize(JsonString(size)))
            return ("size", "'size' must be \"auto\" or WIDTHxHEIGHT, e.g. \"1024x1024\".");
        if (body["output_compression"] is { } compression && !(Integer(compression) is >= 0 and <= 100))
            return ("output_compression", "'output_compression' must be an integer between 0 and 100.");
        if (body["user"] is { } user && JsonString(user) is null)
            return ("user", "'user' must be a string.");
        if (body["stream"] is JsonValue stream && stream.GetValueKind() == JsonValueKind.True)
            return ("stream", "Streamed image generation is not supported; omit 'stream'.");
        return null;
    }

    private static (string Param, string Message)? OneOf(JsonObject body, string name, string[] allowed) =>
        body[name] is { } node && !allowed.Contains(JsonString(node))
            ? (name, $"'{name}' must be one of: {string.Join(", ", allowed)}.")
            : null;

    private static bool IsSize(string? size)
    {
        if (size == "auto") return true;
        var x = size?.IndexOf('x') ?? -1;
        return x > 0 && int.TryParse(size![..x], out var width) && int.TryParse(size[(x + 1)..], out var height) && width > 0 && height > 0;
    }

    private static int? Integer(JsonNode node) => node is JsonValue value && value.TryGetValue<int>(out var n) ? n : null;

    private static string? JsonString(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
}
