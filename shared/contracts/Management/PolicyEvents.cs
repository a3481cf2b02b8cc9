namespace Requesty.Contracts.Management;

/// <summary>
/// A routing policy as the router uses it: "policy/&lt;Name&gt;" in a request's model field. Names are unique per
/// organisation; the policy is usable by every key of the organisation when <see cref="ApiKeyId"/> is null, otherwise by that key only.
/// </summary>
public sealed record RoutingPolicy
{
    public required Guid OrganizationId { get; init; }
    public required string Name { get; init; }
    /// <summary>"fallback", "loadbalance" or "latency".</summary>
    public required string Type { get; init; }
    public required IReadOnlyList<RoutingPolicyEntry> Entries { get; init; }
    public Guid? ApiKeyId { get; init; }
    /// <summary>Version of the policy's stream; a newer version always wins.</summary>
    public required long Version { get; init; }
}

/// <summary>One entry: a catalogue model id ("openai/gpt-4o-mini") or another policy ("policy/other").</summary>
public sealed record RoutingPolicyEntry
{
    public required string Model { get; init; }
    /// <summary>Retries of this entry before the next one (fallback), 0-10.</summary>
    public int Retries { get; init; }
    /// <summary>Relative weight (loadbalance); any positive number, normalised.</summary>
    public decimal Weight { get; init; } = 1;
    /// <summary>"platform", "byok", "platform_then_byok" or "byok_then_platform".</summary>
    public string KeySource { get; init; } = "platform";
}

/// <summary>A policy was created or changed. Carries the full new policy.</summary>
public sealed record PolicyUpserted
{
    public required RoutingPolicy Policy { get; init; }
    public required DateTime OccurredAt { get; init; }
    /// <summary>Position of the management event this message publishes (stable across republishing: dedupe on it).</summary>
    public long? EventSequence { get; init; }
}

/// <summary>A policy was deleted; "policy/&lt;Name&gt;" no longer resolves.</summary>
public sealed record PolicyDeleted
{
    public required Guid OrganizationId { get; init; }
    public required string Name { get; init; }
    public Guid? ApiKeyId { get; init; }
    public required long Version { get; init; }
    public required DateTime OccurredAt { get; init; }
    /// <summary>Position of the management event this message publishes (stable across republishing: dedupe on it).</summary>
    public long? EventSequence { get; init; }
}
