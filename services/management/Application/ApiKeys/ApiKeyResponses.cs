using Requesty.Management.Infrastructure.ReadModels;

namespace Requesty.Management.Application.ApiKeys;

/// <summary>An API key as the management API shows it (snake_case on the wire; never the key itself).</summary>
public record ApiKeyResponse
{
    public Guid Id { get; init; }
    public string Name { get; init; } = "";
    /// <summary>First characters of the key, to recognise it.</summary>
    public string Prefix { get; init; } = "";
    public IReadOnlyList<string> Permissions { get; init; } = [];
    /// <summary>USD per calendar month (UTC); null = unlimited.</summary>
    public decimal? MonthlyLimit { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public DateTime? ExpiresAt { get; init; }
    public bool Expired { get; init; }
    public Guid? ProjectId { get; init; }
    public Guid? ServiceAccountId { get; init; }
    public Guid? UserId { get; init; }
    /// <summary>Id of the API key that created this one (null for the bootstrapped admin key).</summary>
    public Guid? CreatedBy { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
    /// <summary>Version of the key; send it back as If-Match to update only that version.</summary>
    public long Version { get; init; }

    public static ApiKeyResponse From(ApiKeyRow row, DateTime nowUtc) => Fill(new ApiKeyResponse(), row, nowUtc);

    protected static T Fill<T>(T response, ApiKeyRow row, DateTime nowUtc) where T : ApiKeyResponse => response with
    {
        Id = row.Id,
        Name = row.Name,
        Prefix = row.Prefix,
        Permissions = row.Permissions,
        MonthlyLimit = row.MonthlyLimit,
        Labels = row.Labels,
        ExpiresAt = row.ExpiresAt,
        Expired = row.IsExpired(nowUtc),
        ProjectId = row.ProjectId,
        ServiceAccountId = row.ServiceAccountId,
        UserId = row.UserId,
        CreatedBy = row.CreatedBy,
        CreatedAt = row.CreatedAt,
        UpdatedAt = row.UpdatedAt,
        Version = row.Version,
    };
}

/// <summary>Answer to create: the only time the plaintext key is ever shown.</summary>
public sealed record CreatedApiKeyResponse : ApiKeyResponse
{
    public required string Key { get; init; }

    public static CreatedApiKeyResponse From(ApiKeyRow row, string key, DateTime nowUtc) => Fill(new CreatedApiKeyResponse { Key = key }, row, nowUtc);
}

/// <summary>GET /v1/manage/apikey/{id}: the key plus its spend this month (usage analytics come from the analytics service).</summary>
public sealed record ApiKeyDetailsResponse : ApiKeyResponse
{
    /// <summary>USD spent in the current calendar month (UTC).</summary>
    public decimal SpendThisMonth { get; init; }
    /// <summary>The month <see cref="SpendThisMonth"/> covers, "yyyy-MM".</summary>
    public required string Month { get; init; }
    /// <summary>Usage over ?start/?end per ?period (grouped by ?group_by), from analytics; null when analytics could not answer.</summary>
    public Requesty.Management.Application.Usage.KeyUsageResponse? Usage { get; init; }
    /// <summary>Why <see cref="Usage"/> is null (analytics unreachable, timed out...); null when usage is present.</summary>
    public string? UsageError { get; init; }

    public static ApiKeyDetailsResponse From(ApiKeyRow row, decimal spendThisMonth, DateTime nowUtc) => Fill(new ApiKeyDetailsResponse { SpendThisMonth = spendThisMonth, Month = nowUtc.ToString("yyyy-MM") }, row, nowUtc);
}

public sealed record ApiKeyListResponse(IReadOnlyList<ApiKeyResponse> ApiKeys);
