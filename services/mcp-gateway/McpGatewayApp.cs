using Requesty.McpGateway.Apis;
using Requesty.McpGateway.Audit;
using Requesty.McpGateway.Extensions;
using Requesty.McpGateway.Health;
using Requesty.McpGateway.Servers;
using Requesty.McpGateway.UserKeys;
using Requesty.ServiceDefaults;

namespace Requesty.McpGateway;

/// <summary>Builds the service's web application; Program.cs runs it, tests host it in-process.</summary>
public static class McpGatewayApp
{
    public static WebApplication Build(string[] args) => Build(args, configure: null);

    /// <param name="configure">Last changes before the app is built (tests add e.g. a log capture).</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults();
        builder.AddMcpGatewayServices();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapServiceDefaults();
        app.MapToolUsageApi();
        app.MapExecutionsApi();
        app.MapServersApi();
        app.MapServerTemplates();
        app.MapUserKeysApi();
        app.MapHealthApi();
        app.MapAuditApi();
        app.MapMcpEndpoint();
        return app;
    }
}
