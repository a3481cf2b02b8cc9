using System.Text.Json;
using Requesty.McpGateway.Application;
using Requesty.McpGateway.Infrastructure;
using Requesty.McpGateway.Mcp;
using Requesty.ServiceDefaults;

namespace Requesty.McpGateway.Extensions;

public static class McpGatewayServiceExtensions
{
    public const string RequestCompletedQueue = "mcp-gateway-request-completed";

    public static IHostApplicationBuilder AddMcpGatewayServices(this IHostApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        builder.Services.AddSingleton(TimeProvider.System);

        // The SDK logs every handled MCP request at Information; keep that for debugging only.
        builder.Logging.AddFilter("ModelContextProtocol", LogLevel.Warning);

        builder.AddPostgres();
        builder.AddPostgresSchemaMigration(McpSchema.Definition);
        builder.Services.AddSingleton<ToolCallStore>();
        builder.Services.AddSingleton<GatewayTools>();
        builder.Services.AddSingleton<GatewayMcpServerOptions>();

        builder.AddRabbitMqConsumer<RequestCompletedConsumer>(RequestCompletedQueue, 200, 1_000, 5_000, 15_000);
        return builder;
    }
}
