using System.Globalization;

namespace Requesty.Management.Application.Audit;

/// <summary>Filters of GET /v1/manage/audit (all optional); <see cref="From"/> inclusive, <see cref="To"/> exclusive.</summary>
public sealed record AuditQuery(
    string? StreamType,
    Guid? StreamId,
    string? Actor,
    string? EventType,
    DateTime? From,
    DateTime? To,
    long After,
    int Limit)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 500;

    private static readonly string[] Known = ["stream_type", "stream_id", "actor", "event_type", "from", "to", "after", "limit"];

    /// <summary>Parses the query string; field-level errors for anything malformed or unknown.</summary>
    public static AuditQuery? Parse(IQueryCollection query, out Dictionary<string, string[]> errors)
    {
        errors = [];
        foreach (var unknown in query.Keys.Where(k => !Known.Contains(k)))
            errors[unknown] = [$"Unknown parameter. Allowed: {string.Join(", ", Known)}."];

        Guid? streamId = null;
        if (Text(query, "stream_id") is { } rawStream)
        {
            if (Guid.TryParse(rawStream, out var parsed)) streamId = parsed;
            else errors["stream_id"] = ["stream_id must be a UUID."];
        }

        // A bare key id is accepted as shorthand for "api_key:<id>".
        var actor = Text(query, "actor");
        if (actor is not null && Guid.TryParse(actor, out var actorKey)) actor = AuditActors.ApiKeyPrefix + actorKey;

        var from = Instant(query, "from", errors);
        var to = Instant(query, "to", errors);
        if (from is { } f && to is { } t && t <= f) errors["to"] = ["to must be later than from."];

        long after = 0;
        if (Text(query, "after") is { } rawAfter && (!long.TryParse(rawAfter, NumberStyles.None, CultureInfo.InvariantCulture, out after)))
            errors["after"] = ["after must be a non-negative integer (the sequence of the last entry you have)."];

        var limit = DefaultLimit;
        if (Text(query, "limit") is { } rawLimit
            && (!int.TryParse(rawLimit, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
            errors["limit"] = [$"limit must be an integer from 1 to {MaxLimit}."];

        return errors.Count > 0
            ? null
            : new AuditQuery(Text(query, "stream_type"), streamId, actor, Text(query, "event_type"), from, to, after, limit);
    }

    private static string? Text(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) && values.LastOrDefault() is { Length: > 0 } value ? value.Trim() : null;

    private static DateTime? Instant(IQueryCollection query, string name, Dictionary<string, string[]> errors)
    {
        if (Text(query, name) is not { } raw) return null;
        if (DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            return parsed.UtcDateTime;
        errors[name] = [$"{name} must be an ISO 8601 instant, e.g. 2025-01-31T00:00:00Z."];
        return null;
    }
}
