using System.Text.Json;
using System.Text.Json.Nodes;
using Requesty.Contracts.Events;

namespace Requesty.Router.Pipeline;

/// <summary>
/// The "requesty" object clients may add to a request body (tags, user_id, trace_id, extra,
/// auto_cache). It is ours, so it is removed before the body goes upstream.
/// </summary>
public static class RequestyExtension
{
    public const string PropertyName = "requesty";

    /// <summary>The metadata of a request without the object; shared, as nothing changes it (immutable record, read-only collections).</summary>
    public static RequestMetadata None { get; } = new();

    public static RequestMetadata Extract(JsonObject body)
    {
        if (!body.Remove(PropertyName, out var node) || node is not JsonObject requesty) return None;
        return new RequestMetadata
        {
            Tags = requesty["tags"] is JsonArray tags ? tags.Select(StringOf).OfType<string>().ToList() : [],
            UserId = StringOf(requesty["user_id"]),
            TraceId = StringOf(requesty["trace_id"]),
            Extra = requesty["extra"] is JsonObject extra
                ? extra.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => StringOf(p.Value)!)
                : new Dictionary<string, string>(),
        };
    }

    private static string? StringOf(JsonNode? node) => node switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => node.ToJsonString(),
    };
}
