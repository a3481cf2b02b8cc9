using System.Text.Json.Nodes;
using Requesty.ProviderSimulator.Infrastructure;

namespace Requesty.ProviderSimulator.Anthropic;

/// <summary>
/// What Anthropic's structured outputs reject in a schema (output_config.format, or the beta output_format): an object
/// without "additionalProperties": false, numeric and string length constraints, array bounds beyond minItems 0 or 1.
/// </summary>
public static class StructuredOutputRules
{
    private static readonly string[] Unsupported =
        ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minLength", "maxLength", "maxItems"];

    private static readonly string[] SchemaMaps = ["properties", "$defs", "definitions"];
    private static readonly string[] SchemaLists = ["anyOf", "allOf", "oneOf", "prefixItems"];

    /// <summary>The 400 message for the request's output format, or null when there is none or it is acceptable.</summary>
    public static string? Problem(JsonObject body)
    {
        var (field, format) = body.Prop("output_config").Prop("format") is { } config
            ? ("output_config.format", config)
            : ("output_format", body.Prop("output_format"));
        if (format is null) return null;
        if (format.Prop("type").Str() != "json_schema") return $"{field}.type: Input should be 'json_schema'";
        if (format.Prop("schema") is not JsonObject schema) return $"{field}.schema: Field required";
        return SchemaProblem(schema, $"{field}.schema");
    }

    private static string? SchemaProblem(JsonObject schema, string path)
    {
        if (IsObject(schema) && schema.Prop("additionalProperties").Bool() != false)
            return $"{path}: For 'object' type, 'additionalProperties' must be explicitly set to false";
        foreach (var keyword in Unsupported)
            if (schema.ContainsKey(keyword)) return $"{path}: '{keyword}' is not supported in structured outputs";
        if (schema.Prop("minItems").Int() is > 1) return $"{path}: 'minItems' values other than 0 or 1 are not supported";

        foreach (var map in SchemaMaps)
            foreach (var (name, child) in schema.Prop(map) as JsonObject ?? [])
                if (child is JsonObject nested && SchemaProblem(nested, $"{path}.{map}.{name}") is { } problem) return problem;
        foreach (var list in SchemaLists)
        {
            var children = schema.Prop(list).Items().ToList();
            for (var i = 0; i < children.Count; i++)
                if (children[i] is JsonObject nested && SchemaProblem(nested, $"{path}.{list}[{i}]") is { } problem) return problem;
        }
        return schema.Prop("items") is JsonObject items ? SchemaProblem(items, $"{path}.items") : null;
    }

    private static bool IsObject(JsonObject schema) => schema.Prop("type") switch
    {
        JsonArray types => types.Any(t => t.Str() == "object"),
        { } type => type.Str() == "object",
        _ => schema.ContainsKey("properties"),
    };
}
