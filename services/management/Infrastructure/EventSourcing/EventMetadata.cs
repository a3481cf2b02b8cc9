namespace Requesty.Management.Infrastructure.EventSourcing;

/// <summary>Who caused an event and which request it belongs to; stored next to the event (audit trail).</summary>
public sealed record EventMetadata(string Actor, string? CorrelationId = null);
