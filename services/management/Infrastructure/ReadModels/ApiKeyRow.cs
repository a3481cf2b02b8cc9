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
    public bool IsExpired(DateTime nowUtc) => ExpiresAt is { } expiresAt && expiresAt <= nowUtc;
}
