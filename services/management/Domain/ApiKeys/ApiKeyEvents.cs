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
    Guid? CreatedBy) : IDomainEvent;

public sealed record ApiKeyMonthlyLimitChanged(decimal? MonthlyLimit) : IDomainEvent;

public sealed record ApiKeyLabelsChanged(IReadOnlyDictionary<string, string> Labels) : IDomainEvent;

public sealed record ApiKeyExpiryChanged(DateTime? ExpiresAt) : IDomainEvent;

public sealed record ApiKeyDeleted : IDomainEvent;
