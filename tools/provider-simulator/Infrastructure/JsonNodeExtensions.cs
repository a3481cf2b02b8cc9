using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Requesty.ProviderSimulator.Infrastructure;

/// <summary>Tolerant accessors for request JSON: wrong types read as "absent" instead of throwing.</summary>
public static class JsonNodeExtensions
{
    public static JsonNode? Prop(this JsonNode? node, string name) =>
        node is JsonObject obj && obj.TryGetPropertyValue(name, out var value) ? value : null;

    /// <summary>First present property among camelCase / snake_case spellings (Gemini accepts both).</summary>
    public static JsonNode? Prop(this JsonNode? node, string name, string alternative) =>
        node.Prop(name) ?? node.Prop(alternative);

    public static string? Str(this JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    public static double? Num(this JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number
            ? double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture)
            : null;

    public static int? Int(this JsonNode? node) => node.Num() is { } number ? (int)Math.Clamp(number, int.MinValue, int.MaxValue) : null;

    public static bool? Bool(this JsonNode? node) =>
        node is JsonValue value ? value.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => null,
        } : null;

    public static IEnumerable<JsonNode?> Items(this JsonNode? node) => node is JsonArray array ? array : [];

    public static JsonNode? CloneNode(this JsonNode? node) => node?.DeepClone();
}
