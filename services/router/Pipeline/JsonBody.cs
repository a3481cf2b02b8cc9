using System.Text.Json;
using System.Text.Json.Nodes;

namespace Requesty.Router.Pipeline;

public static class JsonBody
{
    /// <summary>The request body as a JSON object, or null when it is not one.</summary>
    public static async Task<JsonObject?> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken) =>
        (await ReadAsync(request, cancellationToken)).Body;

    /// <summary>A request body read as JSON: the object, or null and what is wrong with it.</summary>
    public readonly record struct BodyRead(JsonObject? Body, string Problem);

    public static async Task<BodyRead> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var bytes = await PooledBody.ReadAsync(request.Body, request.ContentLength, cancellationToken);
        var json = bytes.Memory.Span;
        if (json.StartsWith(Utf8Bom)) json = json[Utf8Bom.Length..];
        try
        {
            if (JsonNode.Parse(json) is not JsonObject body) return new(null, NotAnObject);
            // Valid JSON, but no text: every reader of such a string would fail later, as a server error.
            return JsonText.HasLoneSurrogateEscape(json)
                ? new(null, "The request body contains a \\u escape for half of a UTF-16 surrogate pair without its other half.")
                : new(body, "");
        }
        catch (JsonException e)
        {
            return new(null, $"{NotAnObject} It is not valid JSON: {e.Message}");
        }
    }

    private const string NotAnObject = "The request body must be a JSON object.";
    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>The bytes as a JSON object, or null when they are not one (or not JSON at all).</summary>
    public static JsonObject? ParseObject(ReadOnlySpan<byte> utf8Json)
    {
        try
        {
            return JsonNode.Parse(utf8Json) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static string? String(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>The first element of a JSON array; null when it is not an array or is empty.</summary>
    public static JsonNode? First(JsonNode? node) => node is JsonArray { Count: > 0 } array ? array[0] : null;

    public static bool Bool(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<bool>(out var flag) && flag;
}
