using Requesty.Contracts.Keys;
using Requesty.Management.Apis.Http;
using Requesty.Management.Infrastructure.ReadModels;
using Requesty.ServiceDefaults;

namespace Requesty.Management.Apis;

/// <summary>
/// /internal/keys for the router's key cache (camelCase <see cref="ApiKeyContext"/>); guarded by the
/// internal token and hidden from Swagger. Expired keys are included: the router checks ExpiresAt.
/// </summary>
public static class InternalKeysApi
{
    public static IEndpointRouteBuilder MapInternalKeysApi(this IEndpointRouteBuilder app)
    {
        var internalRoutes = app.MapGroup("/internal/keys").RequireInternalToken().ExcludeFromDescription();
        internalRoutes.MapGet("", ListAsync);
        internalRoutes.MapGet("/{keyHash}", GetAsync);
        return app;
    }

    private static async Task<IResult> ListAsync(ApiKeyReadModel apiKeys, CancellationToken ct)
    {
        var rows = await apiKeys.ListLiveAsync(ct);
        return Results.Json(rows.Select(ToContext).ToArray(), ManagementJson.Internal);
    }

    private static async Task<IResult> GetAsync(string keyHash, ApiKeyReadModel apiKeys, CancellationToken ct)
    {
        var row = await apiKeys.FindByHashAsync(keyHash.ToLowerInvariant(), ct);
        return row is null || row.DeletedAt is not null
            ? Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "No live API key has this hash.")
            : Results.Json(ToContext(row), ManagementJson.Internal);
    }

    public static ApiKeyContext ToContext(ApiKeyRow row) => new()
    {
        KeyHash = row.KeyHash,
        ApiKeyId = row.Id,
        OrganizationId = row.OrganizationId,
        UserId = row.UserId,
        ServiceAccountId = row.ServiceAccountId,
        ProjectId = row.ProjectId,
        Role = row.Role,
        GroupIds = row.GroupIds,
        Permissions = row.Permissions,
        MonthlyLimitUsd = row.MonthlyLimit,
        ExpiresAt = row.ExpiresAt,
        DefaultModel = row.DefaultModel,
        Version = row.Version,
    };
}
