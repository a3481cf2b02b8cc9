using System.Text.Json.Nodes;

namespace Requesty.Management.Application.Audit;

/// <summary>One change from the event log.</summary>
/// <param name="Sequence">Position in the log (global, gap-free); pass the last one as ?after= for the next page.</param>
/// <param name="OccurredAt">When the change was made (UTC).</param>
/// <param name="Actor">Who made it: "api_key:&lt;id&gt;" for API calls, "system:&lt;what&gt;" for the service itself.</param>
/// <param name="ActorName">The name of the actor's API key, when the actor is a key of your organisation.</param>
/// <param name="StreamType">The kind of thing changed: "api_key", "policy", "organization", ...</param>
/// <param name="StreamId">Its id.</param>
/// <param name="Version">Its version after this change.</param>
/// <param name="EventType">What happened, e.g. "api_key.monthly_limit_changed".</param>
/// <param name="Data">The event's data; key hashes and any key material are never included.</param>
/// <param name="CorrelationId">The request that made the change.</param>
public sealed record AuditEntry(
    long Sequence,
    DateTime OccurredAt,
    string Actor,
    string? ActorName,
    string StreamType,
    Guid StreamId,
    long Version,
    string EventType,
    JsonNode? Data,
    string? CorrelationId);

/// <param name="Data">Entries in log order.</param>
/// <param name="NextAfter">Value of ?after= for the next page; null on the last page.</param>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Data, long? NextAfter);
