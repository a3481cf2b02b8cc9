using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Requesty.ProviderSimulator.Tests.Support;

/// <summary>
/// A small, independent JSON-schema checker for the keywords the simulator claims to honour
/// (type, enum, const, properties, required, items, prefixItems, anyOf/oneOf/allOf, $ref, bounds, lengths, additionalProperties false).
/// Returns the list of violations (empty = valid).
/// </summary>
public static class SchemaValidator
{
    public static List<string> Validate(JsonNode? value, JsonNode? schema)
    {
        var errors = new List<string>();
        Check(value, schema, schema, "$", errors);
        return errors;
    }

    private static void Check(JsonNode? value, JsonNode? schema, JsonNode? root, string path, List<string> errors)
    {
        if (schema is not JsonObject s) return;
        if (s["$ref"]?.GetValue<string>() is { } reference)
        {
            JsonNode? target = root;
            foreach (var segment in reference.TrimStart('#', '/').Split('/', StringSplitOptions.RemoveEmptyEntries)) target = target?[segment];
            Check(value, target, root, path, errors);
            return;
        }
        if (s.TryGetPropertyValue("const", out var constant) && !JsonNode.DeepEquals(constant, value)) errors.Add($"{path}: not const");
        if (s["enum"] is JsonArray options && !options.Any(o => JsonNode.DeepEquals(o, value))) errors.Add($"{path}: not in enum");
        if (s["anyOf"] is JsonArray anyOf && !anyOf.Any(a => Validate(value, Rooted(a, root)).Count == 0)) errors.Add($"{path}: matches no anyOf");
        if (s["oneOf"] is JsonArray oneOf && oneOf.Count(a => Validate(value, Rooted(a, root)).Count == 0) != 1) errors.Add($"{path}: must match exactly one oneOf");
        if (s["allOf"] is JsonArray allOf) foreach (var part in allOf) Check(value, part, root, path, errors);

        if (s["type"] is { } type)
        {
            var allowed = type is JsonArray list ? list.Select(t => t!.GetValue<string>().ToLowerInvariant()).ToList() : [type.GetValue<string>().ToLowerInvariant()];
            if (!allowed.Any(t => IsType(value, t))) { errors.Add($"{path}: expected {string.Join("|", allowed)}, got {Kind(value)}"); return; }
        }

        switch (value)
        {
            case JsonObject obj:
                foreach (var required in s["required"]?.AsArray() ?? [])
                    if (!obj.ContainsKey(required!.GetValue<string>())) errors.Add($"{path}: missing required '{required}'");
                var properties = s["properties"] as JsonObject;
                foreach (var (name, child) in obj)
                {
                    if (properties?[name] is { } propertySchema) Check(child, propertySchema, root, $"{path}.{name}", errors);
                    else if (s["additionalProperties"] is JsonValue extra && extra.GetValueKind() == JsonValueKind.False) errors.Add($"{path}: unexpected '{name}'");
                    else if (s["additionalProperties"] is JsonObject extraSchema) Check(child, extraSchema, root, $"{path}.{name}", errors);
                }
                break;
            case JsonArray array:
                if (s["minItems"] is { } minItems && array.Count < minItems.GetValue<int>()) errors.Add($"{path}: fewer than minItems");
                if (s["maxItems"] is { } maxItems && array.Count > maxItems.GetValue<int>()) errors.Add($"{path}: more than maxItems");
                var prefix = s["prefixItems"] as JsonArray ?? [];
                for (var i = 0; i < array.Count; i++)
                    Check(array[i], i < prefix.Count ? prefix[i] : s["items"], root, $"{path}[{i}]", errors);
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                var text = v.GetValue<string>();
                if (s["minLength"] is { } minLength && text.Length < minLength.GetValue<int>()) errors.Add($"{path}: shorter than minLength");
                if (s["maxLength"] is { } maxLength && text.Length > maxLength.GetValue<int>()) errors.Add($"{path}: longer than maxLength");
                if (s["format"]?.GetValue<string>() == "date-time" && !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, out _)) errors.Add($"{path}: not a date-time");
                if (s["format"]?.GetValue<string>() == "email" && !text.Contains('@')) errors.Add($"{path}: not an email");
                if (s["format"]?.GetValue<string>() == "uuid" && !Guid.TryParse(text, out _)) errors.Add($"{path}: not a uuid");
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.Number:
                var number = double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture);
                if (s["minimum"] is JsonValue min && min.GetValueKind() == JsonValueKind.Number && number < Num(min)) errors.Add($"{path}: below minimum");
                if (s["maximum"] is JsonValue max && max.GetValueKind() == JsonValueKind.Number && number > Num(max)) errors.Add($"{path}: above maximum");
                if (s["exclusiveMinimum"] is JsonValue exMin && exMin.GetValueKind() == JsonValueKind.Number && number <= Num(exMin)) errors.Add($"{path}: not above exclusiveMinimum");
                if (s["exclusiveMaximum"] is JsonValue exMax && exMax.GetValueKind() == JsonValueKind.Number && number >= Num(exMax)) errors.Add($"{path}: not below exclusiveMaximum");
                if (s["multipleOf"] is JsonValue step && Math.Abs(number / Num(step) - Math.Round(number / Num(step))) > 1e-9) errors.Add($"{path}: not a multipleOf");
                break;
        }
    }

    /// <summary>Sub-schemas of anyOf/oneOf keep the root's $defs so their $refs resolve.</summary>
    private static JsonNode? Rooted(JsonNode? schema, JsonNode? root)
    {
        if (schema is not JsonObject obj || root is not JsonObject rootObject) return schema;
        var copy = (JsonObject)obj.DeepClone();
        foreach (var key in new[] { "$defs", "definitions" })
            if (rootObject[key] is { } defs && !copy.ContainsKey(key)) copy[key] = defs.DeepClone();
        return copy;
    }

    private static double Num(JsonNode node) => double.Parse(node.ToJsonString(), CultureInfo.InvariantCulture);

    private static bool IsType(JsonNode? value, string type) => type switch
    {
        "object" => value is JsonObject,
        "array" => value is JsonArray,
        "string" => value is JsonValue v && v.GetValueKind() == JsonValueKind.String,
        "number" => value is JsonValue n && n.GetValueKind() == JsonValueKind.Number,
        "integer" => value is JsonValue i && i.GetValueKind() == JsonValueKind.Number && double.Parse(i.ToJsonString(), CultureInfo.InvariantCulture) % 1 == 0,
        "boolean" => value is JsonValue b && b.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
        "null" => value is null,
        _ => false,
    };

    private static string Kind(JsonNode? value) => value?.GetValueKind().ToString() ?? "null";
}
