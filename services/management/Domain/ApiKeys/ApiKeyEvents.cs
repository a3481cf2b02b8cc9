namespace Requesty.Management.Domain.ApiKeys;

public sealed record ApiKeyCreated(
    Guid ApiKeyId,
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
    string? Role = null,
    IReadOnlyList<Guid>? GroupIds = null,
    string? DefaultModel = null) : IDomainEvent;

public sealed record ApiKeyMonthlyLimitChanged(decimal? MonthlyLimit) : IDomainEvent;

public sealed record ApiKeyLabelsChanged(IReadOnlyDictionary<string, string> Labels) : IDomainEvent;

public sealed record ApiKeyExpiryChanged(DateTime? ExpiresAt) : IDomainEvent;

public sealed record ApiKeyDeleted : IDomainEvent;

/// <summary>
/// The key user's role or group membership changed. Appended to every live key of the user so the
/// router's cache receives a newer key context (RBAC role and group ids).
/// </summary>
public sealed record ApiKeyAccessChanged(string Role, IReadOnlyList<Guid> GroupIds) : IDomainEvent;

/// <summary>
/// The organisation's default model changed. Appended to every live key of the organisation so the
/// router's cache receives a newer key context carrying it.
/// </summary>
public sealed record ApiKeyDefaultModelChanged(string? DefaultModel) : IDomainEvent;
