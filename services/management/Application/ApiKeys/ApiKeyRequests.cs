namespace Requesty.Management.Application.ApiKeys;

/// <summary>POST /v1/manage/apikey (snake_case on the wire).</summary>
public sealed record CreateApiKeyRequest(
    string? Name,
    decimal? MonthlyLimit,
    IReadOnlyList<string>? Permissions,
    Guid? ProjectId,
    Guid? ServiceAccountId,
    Guid? UserId,
    Dictionary<string, string>? Labels,
    DateTimeOffset? ExpiresAt);

/// <summary>POST /v1/manage/apikey/{id}/limit; null removes the limit.</summary>
public sealed record UpdateApiKeyLimitRequest(decimal? MonthlyLimit);

/// <summary>POST /v1/manage/apikey/{id}/labels; an empty object removes every label.</summary>
public sealed record UpdateApiKeyLabelsRequest(Dictionary<string, string>? Labels);

/// <summary>POST /v1/manage/apikey/{id}/expiry; null (or absent) makes the key non-expiring.</summary>
public sealed record UpdateApiKeyExpiryRequest(DateTimeOffset? ExpiresAt);
