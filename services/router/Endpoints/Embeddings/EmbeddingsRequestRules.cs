using System.Text.Json;
using System.Text.Json.Nodes;

namespace Requesty.Router.Endpoints.Embeddings;

/// <summary>What OpenAI accepts in an embeddings request, checked before anything goes upstream.</summary>
public static class EmbeddingsRequestRules
{
    public const int MaxInputs = 2048;

    /// <summary>The first problem as (param, message), or null when the request is acceptable.</summary>
    public static (string Param, string Message)? Check(JsonObject body)
    {
        if (InputProblem(body["input"]) is { } input) return ("input", input);
        if (body["encoding_format"] is { } format && JsonString(format) is not ("float" or "base64"))
            return ("encoding_format", "'encoding_format' must be \"float\" or \"base64\".");
        if (body["dimensions"] is { } dimensions && !(dimensions is JsonValue d && d.TryGetValue<int>(out var n) && n > 0))
            return ("dimensions", "'dimensions' must be a positive integer.");
        if (body["user"] is { } user && JsonString(user) is null)
            return ("user", "'user' must be a string.");
        return null;
    }

    private static string? InputProblem(JsonNode? input)
    {
        const string Shapes = "'input' must be a non-empty string, an array of strings, an array of tokens (integers) or an array of token arrays.";
        switch (input)
        {
            case null:
                return "'input' is required. " + Shapes;
            case JsonValue:
                return JsonString(input) is { Length: > 0 } ? null : Shapes;
            case JsonArray { Count: 0 }:
                return Shapes;
            case JsonArray array when array.Count > MaxInputs:
                return $"'input' may hold at most {MaxInputs} items.";
            case JsonArray array:
                if (array.All(i => JsonString(i) is { Length: > 0 })) return null;
                if (array.All(IsToken)) return null;
                if (array.All(i => i is JsonArray { Count: > 0 } tokens && tokens.All(IsToken))) return null;
                return Shapes;
            default:
                return Shapes;
        }
    }

    private static bool IsToken(JsonNode? node) => node is JsonValue value && value.TryGetValue<int>(out var token) && token >= 0;

    private static string? JsonString(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
}
