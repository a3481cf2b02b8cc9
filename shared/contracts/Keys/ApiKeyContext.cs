namespace Requesty.Contracts.Keys;

/// <summary>
/// What the router needs to know about an API key, keyed by the SHA-256 of the key (never the
/// key itself). Served by management at GET /internal/keys and carried by key events.
/// </summary>
public sealed record ApiKeyContext
{
    /// <summary>Lower-case hex SHA-256 of the key's UTF-8 bytes.</summary>
    public required string KeyHash { get; init; }
    public required Guid ApiKeyId { get; init; }
    public required Guid OrganizationId { get; init; }
    public Guid? UserId { get; init; }
    public Guid? ServiceAccountId { get; init; }
    public Guid? ProjectId { get; init; }
    public IReadOnlyList<Guid> GroupIds { get; init; } = [];
    /// <summary>
    /// "admin" (sees and changes the whole organisation) or "member" (own keys, usage and projects
    /// only): the role of the key's user; service-account and organisation keys act as "admin".
    /// </summary>
    public string Role { get; init; } = ApiKeyRoles.Member;
    /// <summary>chat, manage_read, manage_write.</summary>
    public IReadOnlyList<string> Permissions { get; init; } = [];
    /// <summary>Monthly spend limit in USD; null = unlimited.</summary>
    public decimal? MonthlyLimitUsd { get; init; }
    public DateTime? ExpiresAt { get; init; }
    /// <summary>Model used when a request omits "model".</summary>
    public string? DefaultModel { get; init; }
    /// <summary>Monotonic version of the key's stream; newer wins in caches.</summary>
    public long Version { get; init; }
}

public static class ApiKeyRoles
{
    public const string Admin = "admin";
    public const string Member = "member";
}
