using Requesty.Management.Apis.Http;
using Requesty.Management.Application.Byok;
using Requesty.Management.Infrastructure.ReadModels;
using Requesty.ServiceDefaults;

namespace Requesty.Management.Apis.Byok;

/// <summary>GET /internal/byok: every organisation's own keys, still sealed, for the router's cache (camelCase ByokKey).</summary>
public static class InternalByokApi
{
    public static IEndpointRouteBuilder MapInternalByokApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/internal/byok", async (ByokKeyReadModel keys, CancellationToken ct) =>
                Results.Json((await keys.ListAllAsync(ct)).Select(ByokIntegrationEvents.ToContract).ToArray(), ManagementJson.Internal))
            .RequireInternalToken().ExcludeFromDescription();
        return app;
    }
}
