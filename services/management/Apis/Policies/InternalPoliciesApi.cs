using Requesty.Management.Apis.Http;
using Requesty.Management.Application.Policies;
using Requesty.ServiceDefaults;

namespace Requesty.Management.Apis.Policies;

/// <summary>GET /internal/policies: every live policy of every organisation, for the router's cache (camelCase RoutingPolicy).</summary>
public static class InternalPoliciesApi
{
    public static IEndpointRouteBuilder MapInternalPoliciesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/internal/policies", async (PolicyReadModel policies, CancellationToken ct) =>
                Results.Json((await policies.ListLiveAsync(ct)).Select(PolicyIntegrationEvents.ToContract).ToArray(), ManagementJson.Internal))
            .RequireInternalToken().ExcludeFromDescription();
        return app;
    }
}
