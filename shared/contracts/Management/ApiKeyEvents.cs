using Requesty.Contracts.Keys;

namespace Requesty.Contracts.Management;

/// <summary>An API key was created or any of its settings changed. Carries the full new context.</summary>
public sealed record ApiKeyUpserted
{
    public required ApiKeyContext Key { get; init; }
    public required DateTime OccurredAt { get; init; }
    /// <summary>Position of the management event this message publishes (stable across republishing: dedupe on it).</summary>
    public long? EventSequence { get; init; }
}

/// <summary>An API key was deleted; the router must refuse it from now on.</summary>
public sealed record ApiKeyRevoked
{
    public required Guid ApiKeyId { get; init; }
    public required string KeyHash { get; init; }
    public required Guid OrganizationId { get; init; }
    public required DateTime OccurredAt { get; init; }
    /// <summary>Position of the management event this message publishes (stable across republishing: dedupe on it).</summary>
    public long? EventSequence { get; init; }
}
