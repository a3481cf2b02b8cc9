using Requesty.McpGateway.Apis;
using Requesty.McpGateway.Extensions;
using Requesty.ServiceDefaults;

namespace Requesty.McpGateway;

/// <summary>Builds the service's web application; Program.cs runs it, tests host it in-process.</summary>
public static class McpGatewayApp
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults();
        builder.AddMcpGatewayServices();

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapServiceDefaults();
        app.MapToolUsageApi();
        app.MapMcpEndpoint();
        return app;
    }
}
