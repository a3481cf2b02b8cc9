using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Requesty.Router.Pipeline;

namespace Requesty.Router.Providers.Anthropic;

/// <summary>
/// OpenAI's response_format json_schema -> Anthropic's structured outputs
/// (<c>output_config: {"format": {"type": "json_schema", "schema": ...}}</c>, generally available, no beta header),
/// with the schema cut to the subset Anthropic's constrained decoding accepts.
/// </summary>
public static partial class AnthropicStructuredOutput
{
    // Keys Anthropic rejects in a structured-output schema; like Anthropic's SDKs, we keep them as a hint in the description.
    private static readonly string[] UnsupportedKeywords =
        ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minLength", "maxLength", "maxItems", "uniqueItems",
         "minProperties", "maxProperties", "patternProperties", "propertyNames"];

    private static readonly HashSet<string> SupportedFormats =
        ["date-time", "time", "date", "duration", "email", "hostname", "uri", "ipv4", "ipv6", "uuid"];

    private static readonly string[] NestedSchemaLists = ["anyOf", "allOf", "oneOf", "prefixItems"];
    private static readonly string[] NestedSchemaMaps = ["properties", "$defs", "definitions"];

    /// <summary>
    /// Claude models before Opus 4.1 (the claude-3 family, Sonnet 4 and Opus 4) have no structured outputs;
    /// for them, and unknown older names, the schema goes in as a system instruction instead.
    /// </summary>
    public static bool IsSupportedBy(string upstreamModel) => !WithoutStructuredOutputs().IsMatch(upstreamModel);

    [GeneratedRegex(@"^(claude-(\d|instant)|claude-(opus|sonnet)-4(-0|-\d{8})?(@|$))", RegexOptions.IgnoreCase)]
    private static partial Regex WithoutStructuredOutputs();

    /// <summary>The output_config for a json_schema response_format, or null when the request asks for none.</summary>
    public static JsonObject? OutputConfig(JsonNode? responseFormat)
    {
        if (JsonBody.String(responseFormat?["type"]) != "json_schema") return null;
        var schema = responseFormat?["json_schema"]?["schema"]?.DeepClone() as JsonObject ?? new JsonObject { ["type"] = "object" };
        Adapt(schema);
        return new JsonObject { ["format"] = new JsonObject { ["type"] = "json_schema", ["schema"] = schema } };
    }

    /// <summary>Objects get additionalProperties false (required by Anthropic), oneOf becomes anyOf, unsupported constraints move into the description.</summary>
    public static void Adapt(JsonObject schema)
    {
        if (schema["oneOf"] is JsonArray oneOf && !schema.ContainsKey("anyOf"))
        {
            schema.Remove("oneOf");
            schema["anyOf"] = oneOf;
        }
        var hints = new List<string>();
        foreach (var keyword in UnsupportedKeywords)
        {
            if (!schema.ContainsKey(keyword)) continue;
            hints.Add($"{keyword}: {schema[keyword]?.ToJsonString()}");
            schema.Remove(keyword);
        }
        if (schema["minItems"] is JsonValue minItems && minItems.TryGetValue<int>(out var min) && min > 1)
        {
            hints.Add($"minItems: {min}");
            schema.Remove("minItems");
        }
        if (JsonBody.String(schema["format"]) is { } format && !SupportedFormats.Contains(format))
        {
            hints.Add($"format: {format}");
            schema.Remove("format");
        }
        if (hints.Count > 0)
        {
            var description = JsonBody.String(schema["description"]);
            schema["description"] = (description is { Length: > 0 } ? description + "\n\n" : "") + "{" + string.Join(", ", hints) + "}";
        }
        if (IsObject(schema)) schema["additionalProperties"] = false;

        foreach (var name in NestedSchemaMaps)
            foreach (var (_, child) in schema[name] as JsonObject ?? [])
                if (child is JsonObject nested) Adapt(nested);
        foreach (var name in NestedSchemaLists)
            foreach (var child in schema[name] as JsonArray ?? [])
                if (child is JsonObject nested) Adapt(nested);
        if (schema["items"] is JsonObject items) Adapt(items);
    }

    private static bool IsObject(JsonObject schema) => schema["type"] switch
    {
        JsonValue type => JsonBody.String(type) == "object",
        JsonArray types => types.Any(t => JsonBody.String(t) == "object"),
        _ => schema.ContainsKey("properties"),
    };
}
