namespace Requesty.Management.Infrastructure.ReadModels;

/// <summary>A row of management.api_keys (never contains the key itself, only its hash).</summary>
public sealed record ApiKeyRow(
    Guid Id,
    Guid OrganizationId,
    string Name,
    string KeyHash,
    string Prefix,
    IReadOnlyList<string> Permissions,
    decimal? MonthlyLimit,
    IReadOnlyDictionary<string, string> Labels,
    DateTime? ExpiresAt,
    Guid? ProjectId,
    Guid? ServiceAccountId,
    Guid? UserId,
    Guid? CreatedBy,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    DateTime? DeletedAt,
    long Version)
{
    /// <summary>RBAC role the key acts with (its user's role; "admin" for service-account and organisation keys).</summary>
    public string Role { get; init; } = "admin";
    /// <summary>Groups the key's user belongs to.</summary>
    public IReadOnlyList<Guid> GroupIds { get; init; } = [];
    /// <summary>The organisation's default model (joined from management.organizations).</summary>
    public string? DefaultModel { get; init; }

    public bool IsExpired(DateTime nowUtc) => ExpiresAt is { } expiresAt && expiresAt <= nowUtc;
}
