namespace Requesty.Management.Application.ServiceAccounts;

/// <summary>POST /v1/manage/service-account.</summary>
public sealed record CreateServiceAccountRequest(string? Name, string? Description);

/// <summary>A service account; api_key_count counts its live keys (it can only be deleted at 0).</summary>
public sealed record ServiceAccountResponse(
    Guid Id, string Name, string? Description, int ApiKeyCount,
    DateTime CreatedAt, DateTime UpdatedAt, long Version)
{
    public static ServiceAccountResponse From(ServiceAccountRow row) =>
        new(row.Id, row.Name, row.Description, row.LiveKeyCount, row.CreatedAt, row.UpdatedAt, row.Version);
}

public sealed record ServiceAccountListResponse(IReadOnlyList<ServiceAccountResponse> ServiceAccounts);
