using System.Text.Json.Nodes;
using Requesty.ProviderSimulator.Infrastructure;

namespace Requesty.ProviderSimulator.Generation;

/// <summary>
/// Builds a deterministic JSON value that validates against a JSON schema (the subset LLM APIs use:
/// type / type arrays, enum, const, properties + required, items / prefixItems, anyOf / oneOf / allOf,
/// local $ref into $defs / definitions, string formats and length bounds, numeric bounds and multipleOf,
/// array length bounds). Gemini's upper-case type names are accepted. <c>pattern</c> is not honoured.
/// </summary>
public static class JsonSampleGenerator
{
    private const int MaxDepth = 24;

    /// <summary>Below this depth optional properties and optional array items are left out, so recursive schemas end.</summary>
    private const int FullDepth = 6;

    public static JsonNode? Generate(JsonNode? schema) => new Walker(schema).Value(schema, null, 0, 0);

    /// <summary>Arguments for a tool: always a JSON object, even for a missing or non-object schema.</summary>
    public static JsonObject GenerateObject(JsonNode? schema) =>
        Generate(schema ?? new JsonObject { ["type"] = "object" }) as JsonObject ?? new JsonObject();

    private sealed class Walker(JsonNode? root)
    {
        public JsonNode? Value(JsonNode? schema, string? name, int variant, int depth)
        {
            if (schema is JsonValue boolean && boolean.Bool() is { } allowed) return allowed ? JsonValue.Create("sample") : null;
            if (schema is not JsonObject obj) return JsonValue.Create("sample");

            if (obj.Prop("$ref").Str() is { } reference)
            {
                var target = Resolve(reference);
                return depth >= MaxDepth ? Minimal(target) : Value(target, name, variant, depth + 1);
            }
            if (obj.Prop("const") is { } constant) return constant.DeepClone();
            if (obj.Prop("const") is null && obj.ContainsKey("const")) return null;
            if (obj.Prop("enum") is JsonArray { Count: > 0 } options) return options[variant % options.Count]?.DeepClone();
            if ((FirstAlternative(obj.Prop("anyOf")) ?? FirstAlternative(obj.Prop("oneOf"))) is { } alternative)
                return Value(alternative, name, variant, depth + 1);
            if (obj.Prop("allOf") is JsonArray { Count: > 0 } parts) return AllOf(obj, parts, name, variant, depth);

            return TypeOf(obj) switch
            {
                "object" => Object(obj, variant, depth),
                "array" => Array(obj, name, depth),
                "integer" => Integer(obj, variant),
                "number" => Number(obj, variant),
                "boolean" => JsonValue.Create(variant % 2 == 0),
                "null" => null,
                _ => String(obj, name, variant),
            };
        }

        private JsonNode? Resolve(string reference)
        {
            if (reference == "#") return root;
            if (!reference.StartsWith("#/", StringComparison.Ordinal)) return new JsonObject();
            JsonNode? node = root;
            foreach (var segment in reference[2..].Split('/'))
                node = node.Prop(Uri.UnescapeDataString(segment).Replace("~1", "/").Replace("~0", "~"));
            return node ?? new JsonObject();
        }

        /// <summary>Cuts recursion: an object with only its required (non-recursive) parts, an empty array.</summary>
        private JsonNode? Minimal(JsonNode? schema) => TypeOf(schema as JsonObject ?? []) switch
        {
            "object" => new JsonObject(),
            "array" => new JsonArray(),
            _ => Value(schema, null, 0, MaxDepth),
        };

        private static JsonNode? FirstAlternative(JsonNode? alternatives)
        {
            if (alternatives is not JsonArray { Count: > 0 } list) return null;
            // Prefer a real value over an explicit null branch (Optional<T> shapes like anyOf [T, null]).
            return list.FirstOrDefault(s => TypeOf(s as JsonObject ?? []) != "null") ?? list[0];
        }

        private JsonNode? AllOf(JsonObject schema, JsonArray parts, string? name, int variant, int depth)
        {
            var merged = new JsonObject();
            foreach (var (key, value) in schema)
                if (key != "allOf") merged[key] = value?.DeepClone();
            var properties = merged.Prop("properties") as JsonObject ?? new JsonObject();
            var required = merged.Prop("required") as JsonArray ?? new JsonArray();
            foreach (var part in parts)
            {
                var resolved = part.Prop("$ref").Str() is { } reference ? Resolve(reference) : part;
                if (resolved is not JsonObject partObject) continue;
                foreach (var (key, value) in partObject)
                {
                    if (key == "properties" && value is JsonObject props)
                        foreach (var (propName, propSchema) in props) properties[propName] = propSchema?.DeepClone();
                    else if (key == "required") foreach (var item in value.Items()) required.Add(item?.DeepClone());
                    else if (!merged.ContainsKey(key)) merged[key] = value?.DeepClone();
                }
            }
            if (properties.Count > 0) { merged["properties"] = properties; merged["type"] ??= "object"; }
            if (required.Count > 0) merged["required"] = required;
            return Value(merged, name, variant, depth + 1);
        }

        private static string TypeOf(JsonObject schema)
        {
            var type = schema.Prop("type");
            var name = type.Str() ?? type.Items().Select(t => t.Str()).FirstOrDefault(t => t is not null && !t.Equals("null", StringComparison.OrdinalIgnoreCase))
                ?? type.Items().Select(t => t.Str()).FirstOrDefault();
            if (name is not null) return name.ToLowerInvariant();
            if (schema.ContainsKey("properties") || schema.ContainsKey("required") || schema.ContainsKey("additionalProperties")) return "object";
            if (schema.ContainsKey("items") || schema.ContainsKey("prefixItems")) return "array";
            if (schema.ContainsKey("minimum") || schema.ContainsKey("maximum") || schema.ContainsKey("multipleOf")) return "number";
            return "string";
        }

        private JsonObject Object(JsonObject schema, int variant, int depth)
        {
            var result = new JsonObject();
            var properties = schema.Prop("properties") as JsonObject;
            var requiredNames = schema.Prop("required").Items().Select(r => r.Str()).OfType<string>().ToHashSet();
            if (properties is not null)
                foreach (var (name, propertySchema) in properties)
                    if (depth < FullDepth || requiredNames.Contains(name))
                        result[name] = Value(propertySchema, name, variant, depth + 1);
            foreach (var required in schema.Prop("required").Items().Select(r => r.Str()).OfType<string>())
                if (!result.ContainsKey(required))
                    result[required] = schema.Prop("additionalProperties") is JsonObject extra
                        ? Value(extra, required, variant, depth + 1)
                        : JsonValue.Create("sample");
            return result;
        }

        private JsonArray Array(JsonObject schema, string? name, int depth)
        {
            var array = new JsonArray();
            var prefix = schema.Prop("prefixItems") as JsonArray ?? [];
            var min = schema.Prop("minItems").Int() ?? 1;
            var max = schema.Prop("maxItems").Int() ?? int.MaxValue;
            var count = Math.Min(Math.Max(depth < FullDepth ? Math.Max(min, 1) : min, prefix.Count), max);
            var items = schema.Prop("items");
            for (var i = 0; i < count; i++)
            {
                var itemSchema = i < prefix.Count ? prefix[i] : items;
                array.Add(depth >= MaxDepth ? Minimal(itemSchema) : Value(itemSchema, name, i, depth + 1));
            }
            return array;
        }

        private static JsonNode Integer(JsonObject schema, int variant)
        {
            var (lower, upper) = Bounds(schema);
            long low = lower is { } l ? (long)(l.Exclusive ? Math.Floor(l.Value) + 1 : Math.Ceiling(l.Value)) : long.MinValue;
            long high = upper is { } u ? (long)(u.Exclusive ? Math.Ceiling(u.Value) - 1 : Math.Floor(u.Value)) : long.MaxValue;
            long value = lower is null && upper is null ? 1 + variant
                : lower is null ? Math.Min(1 + variant, high)
                : upper is null ? low + variant
                : Math.Min(low + variant, high);
            if (schema.Prop("multipleOf").Num() is { } step && step >= 1)
            {
                var m = (long)step;
                var up = (long)Math.Ceiling((double)value / m) * m;
                value = up <= high ? up : (long)Math.Floor((double)value / m) * m;
            }
            return JsonValue.Create(value);
        }

        private static JsonNode Number(JsonObject schema, int variant)
        {
            var (lower, upper) = Bounds(schema);
            double value = (lower, upper) switch
            {
                (null, null) => 1.5 + variant,
                ({ } l, null) => l.Value + (l.Exclusive ? 0.5 : 0) + variant,
                (null, { } u) => Math.Min(1.5 + variant, u.Value - (u.Exclusive ? 0.5 : 0)),
                ({ } l, { } u) => (l.Value + u.Value) / 2,
            };
            if (schema.Prop("multipleOf").Num() is { } step && step > 0)
            {
                var candidate = Math.Ceiling(value / step) * step;
                if (upper is { } u && (candidate > u.Value || (u.Exclusive && candidate >= u.Value))) candidate = Math.Floor(value / step) * step;
                value = Math.Round(candidate / step) * step;
            }
            return JsonValue.Create(value);
        }

        private readonly record struct Bound(double Value, bool Exclusive);

        /// <summary>Draft 6+ numeric exclusive bounds and draft 4 boolean ones.</summary>
        private static (Bound? Lower, Bound? Upper) Bounds(JsonObject schema)
        {
            Bound? lower = schema.Prop("exclusiveMinimum").Num() is { } exMin ? new Bound(exMin, true)
                : schema.Prop("minimum").Num() is { } min ? new Bound(min, schema.Prop("exclusiveMinimum").Bool() == true) : null;
            Bound? upper = schema.Prop("exclusiveMaximum").Num() is { } exMax ? new Bound(exMax, true)
                : schema.Prop("maximum").Num() is { } max ? new Bound(max, schema.Prop("exclusiveMaximum").Bool() == true) : null;
            return (lower, upper);
        }

        private static JsonNode String(JsonObject schema, string? name, int variant)
        {
            var suffix = variant == 0 ? "" : $"-{variant}";
            var text = schema.Prop("format").Str()?.ToLowerInvariant() switch
            {
                "date-time" => $"2025-01-{1 + variant % 28:00}T12:00:00Z",
                "date" => $"2025-01-{1 + variant % 28:00}",
                "time" => "12:00:00",
                "email" => $"user{suffix}@example.com",
                "uri" or "url" or "iri" => $"https://example.com/{name ?? "resource"}{suffix}",
                "hostname" => "example.com",
                "uuid" => $"00000000-0000-4000-8000-{variant:000000000000}",
                "ipv4" => $"192.0.2.{1 + variant % 254}",
                "ipv6" => "2001:db8::1",
                "duration" => "PT1H",
                _ => name is null ? $"sample{suffix}" : $"sample {name}{suffix}",
            };
            var minLength = schema.Prop("minLength").Int() ?? 0;
            var maxLength = schema.Prop("maxLength").Int() ?? int.MaxValue;
            if (text.Length < minLength) text = text.PadRight(minLength, 'x');
            if (text.Length > maxLength) text = text[..Math.Max(maxLength, 0)];
            return JsonValue.Create(text);
        }
    }
}
