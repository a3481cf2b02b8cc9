using Requesty.Management.Apis;
using Requesty.Management.Apis.Security;
using Requesty.Management.Extensions;
using Requesty.ServiceDefaults;

namespace Requesty.Management;

/// <summary>Builds the service's web application; Program.cs runs it, tests host it in-process.</summary>
public static class ManagementApp
{
    public const int DefaultPort = 5081;

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
            builder.WebHost.UseUrls($"http://0.0.0.0:{DefaultPort}");
        builder.AddServiceDefaults();
        builder.AddManagementServices();

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapServiceDefaults();

        var manage = app.MapGroup("/v1/manage").AddEndpointFilter<ManagementAuthFilter>()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        manage.MapOrganizationApi();
        manage.MapApiKeysApi();
        Apis.Policies.PoliciesApi.MapPoliciesApi(manage);
        Apis.Users.IdentityApis.MapIdentityApis(manage);
        Apis.Policies.InternalPoliciesApi.MapInternalPoliciesApi(app);
        Apis.Byok.ByokApi.MapByokApi(manage);
        Apis.Byok.InternalByokApi.MapInternalByokApi(app);
        Apis.Audit.AuditApi.MapAuditApi(manage);
        app.MapInternalKeysApi();
        Apis.Organizations.InternalSpendBlocksApi.MapInternalSpendBlocksApi(app);
        Apis.Organizations.InternalBudgetsApi.MapInternalBudgetsApi(app);
        return app;
    }
}
