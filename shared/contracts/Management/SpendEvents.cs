namespace Requesty.Contracts.Management;

/// <summary>What a spend limit applies to; <see cref="SpendLimitReached.ScopeId"/> is the id of that thing.</summary>
public static class SpendScopes
{
    public const string ApiKey = "api_key";
    public const string User = "user";
    public const string Project = "project";
    public const string Group = "group";
    /// <summary>A prepaid organisation whose balance (credits minus all spend) is zero or less.</summary>
    public const string Organization = "organization";

    public static readonly IReadOnlyList<string> All = [ApiKey, User, Project, Group, Organization];
}

/// <summary>
/// A scope's spend reached its limit for <see cref="Month"/>: the router refuses its requests (except
/// zero-cost ones) until a <see cref="SpendLimitCleared"/> of the same identity or the next month.
/// </summary>
public sealed record SpendLimitReached
{
    public required Guid OrganizationId { get; init; }
    /// <summary>One of <see cref="SpendScopes"/>.</summary>
    public required string Scope { get; init; }
    public required Guid ScopeId { get; init; }
    /// <summary>First day of the calendar month (UTC, midnight) the block is for.</summary>
    public required DateTime Month { get; init; }
    /// <summary>Spend that reached the limit (lifetime spend for the organisation scope).</summary>
    public required decimal SpendUsd { get; init; }
    /// <summary>The limit (credits for the organisation scope).</summary>
    public required decimal LimitUsd { get; init; }
    public required DateTime OccurredAt { get; init; }
    /// <summary>Version of the scope's block state; a consumer keeps the newest it has seen per scope.</summary>
    public long Version { get; init; }
}

/// <summary>The limit was raised or removed, or credits were added: the scope's requests are accepted again.</summary>
public sealed record SpendLimitCleared
{
    public required Guid OrganizationId { get; init; }
    public required string Scope { get; init; }
    public required Guid ScopeId { get; init; }
    /// <summary>The month of the block this lifts.</summary>
    public required DateTime Month { get; init; }
    public required decimal SpendUsd { get; init; }
    /// <summary>The limit now in force; null when the limit was removed.</summary>
    public decimal? LimitUsd { get; init; }
    public required DateTime OccurredAt { get; init; }
    public long Version { get; init; }
}

/// <summary>One current block, as GET /internal/spend-blocks serves it (camelCase) for the router's start-up and resync.</summary>
public sealed record SpendBlock
{
    public required Guid OrganizationId { get; init; }
    public required string Scope { get; init; }
    public required Guid ScopeId { get; init; }
    public required DateTime Month { get; init; }
    public required decimal SpendUsd { get; init; }
    public required decimal LimitUsd { get; init; }
    public long Version { get; init; }
}
