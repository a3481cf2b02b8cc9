using Requesty.Management.Apis.Http;
using Requesty.Management.Application.Spend;
using Requesty.ServiceDefaults;

namespace Requesty.Management.Apis.Organizations;

/// <summary>
/// GET /internal/spend-blocks: every scope blocked for the current UTC month (camelCase SpendBlock), for the
/// router's start-up load and periodic resync; guarded by the internal token and hidden from Swagger.
/// </summary>
public static class InternalSpendBlocksApi
{
    public static IEndpointRouteBuilder MapInternalSpendBlocksApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/internal/spend-blocks", async (SpendLimitReadModel limits, TimeProvider time, CancellationToken ct) =>
                Results.Json(await limits.BlocksAsync(SpendScope.MonthStart(time.GetUtcNow().UtcDateTime), ct), ManagementJson.Internal))
            .RequireInternalToken().ExcludeFromDescription();
        return app;
    }
}
