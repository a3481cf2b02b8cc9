using System.Text.Json;
using MassTransit;
using Requesty.McpGateway.Apis;
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
        builder.Services.Configure<InternalTokenOptions>(builder.Configuration.GetSection(InternalTokenOptions.Section));

        // The SDK logs every handled MCP request at Information; keep that for debugging only.
        builder.Logging.AddFilter("ModelContextProtocol", LogLevel.Warning);

        builder.AddPostgres();
        // Registered before the bus so the schema exists before the first message is consumed
        // (hosted services start in registration order).
        builder.Services.AddHostedService<McpSchemaMigrator>();
        builder.Services.AddSingleton<ToolCallStore>();
        builder.Services.AddSingleton<GatewayTools>();
        builder.Services.AddSingleton<GatewayMcpServerOptions>();

        var queue = QueueSettings.From(builder.Configuration, RequestCompletedQueue);
        builder.AddRabbitMqBus(
            bus => bus.AddConsumer<RequestCompletedConsumer>(),
            (context, cfg) => cfg.ReceiveEndpoint(queue.Name, endpoint =>
            {
                endpoint.Durable = queue.Durable;
                endpoint.AutoDelete = queue.AutoDelete;
                if (queue.ConcurrencyLimit is { } limit)
                {
                    endpoint.PrefetchCount = limit;
                    endpoint.ConcurrentMessageLimit = limit;
                }
                endpoint.UseMessageRetry(r => r.Intervals(200, 1_000, 5_000, 15_000));
                endpoint.ConfigureConsumer<RequestCompletedConsumer>(context);
            }));
        return builder;
    }
}
