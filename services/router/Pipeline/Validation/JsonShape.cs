using System.Text.Json;
using System.Text.Json.Nodes;

namespace Requesty.Router.Pipeline.Validation;

/// <summary>
/// Type checks for optional JSON fields: an absent field or JSON null passes (the API's default applies);
/// a present field of the wrong type is a problem naming the field, never a silent fallback.
/// </summary>
internal static class JsonShape
{
    public static RequestProblem? String(JsonNode? node, string param) =>
        IsOptionalString(node) ? null : Wrong(param, "a string");

    // The Is... predicates let a loop over many items check them without building each item's field name first.
    public static bool IsOptionalString(JsonNode? node) => node is null || Is(node, JsonValueKind.String);

    public static RequestProblem? Bool(JsonNode? node, string param) =>
        node is null || Is(node, JsonValueKind.True) || Is(node, JsonValueKind.False) ? null : Wrong(param, "a boolean");

    public static RequestProblem? Number(JsonNode? node, string param) =>
        node is null || Is(node, JsonValueKind.Number) ? null : Wrong(param, "a number");

    public static RequestProblem? Integer(JsonNode? node, string param, long minimum = long.MinValue)
    {
        if (node is null) return null;
        if (!IsInteger(node, out var number)) return Wrong(param, "an integer");
        return number < minimum ? new RequestProblem(param, $"'{param}' must be at least {minimum}.", "invalid_value") : null;
    }

    public static RequestProblem? Object(JsonNode? node, string param) =>
        node is null or JsonObject ? null : Wrong(param, "an object");

    public static RequestProblem? Array(JsonNode? node, string param) =>
        node is null or JsonArray ? null : Wrong(param, "an array");

    public static bool IsOptionalArray(JsonNode? node) => node is null or JsonArray;

    public static RequestProblem? StringOrStringArray(JsonNode? node, string param)
    {
        if (node is null || Is(node, JsonValueKind.String)) return null;
        if (node is JsonArray items && items.All(item => item is not null && Is(item, JsonValueKind.String))) return null;
        return Wrong(param, "a string or an array of strings");
    }

    public static RequestProblem? StringOrObject(JsonNode? node, string param) =>
        node is null or JsonObject || Is(node, JsonValueKind.String) ? null : Wrong(param, "a string or an object");

    public static RequestProblem? StringOrArray(JsonNode? node, string param) =>
        IsOptionalStringOrArray(node) ? null : Wrong(param, "a string or an array");

    public static bool IsOptionalStringOrArray(JsonNode? node) => node is null or JsonArray || Is(node, JsonValueKind.String);

    /// <summary>The first problem of a list of checks (they run in order, so the first field wins).</summary>
    public static RequestProblem? First(params ReadOnlySpan<RequestProblem?> problems)
    {
        foreach (var problem in problems)
        {
            if (problem is not null) return problem;
        }
        return null;
    }

    public static bool Is(JsonNode node, JsonValueKind kind) => node.GetValueKind() == kind;

    private static bool IsInteger(JsonNode node, out decimal number)
    {
        number = 0;
        return node is JsonValue value && node.GetValueKind() == JsonValueKind.Number
            && value.TryGetValue<decimal>(out number) && decimal.Truncate(number) == number;
    }

    private static RequestProblem Wrong(string param, string expected) => new(param, $"'{param}' must be {expected}.");
}
