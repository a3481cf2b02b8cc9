using System.Text.Json;
using Requesty.McpGateway.Application;
using Requesty.McpGateway.Audit;
using Requesty.McpGateway.Auth;
using Requesty.McpGateway.Health;
using Requesty.McpGateway.Security;
using Requesty.McpGateway.Servers;
using Requesty.McpGateway.Upstream;
using Requesty.McpGateway.UserKeys;
using Requesty.McpGateway.Infrastructure;
using Requesty.McpGateway.Mcp;
using Requesty.McpGateway.Messaging;
using Requesty.ServiceDefaults;

namespace Requesty.McpGateway.Extensions;

public static class McpGatewayServiceExtensions
{
    public const string RequestCompletedQueue = "mcp-gateway-request-completed";
    public const string DefaultManagementUrl = "http://127.0.0.1:5081/";

    public static IHostApplicationBuilder AddMcpGatewayServices(this IHostApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        builder.Services.AddSingleton(TimeProvider.System);

        // The SDK logs every handled MCP request at Information; keep that for debugging only.
        builder.Logging.AddFilter("ModelContextProtocol", LogLevel.Warning);

        builder.AddPostgres();
        builder.AddPostgresSchemaMigration(McpSchema.Definition);
        builder.Services.AddSingleton<ToolCallStore>();
        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<HeaderCipher>();
        builder.Services.AddExceptionHandler<EncryptionProblemHandler>();
        builder.Services.AddSingleton<McpServerStore>();
        builder.Services.AddSingleton<UserKeyStore>();
        builder.Services.AddSingleton<UpstreamCredentials>();
        builder.Services.AddSingleton<UserKeyVerifier>();
        builder.Services.AddSingleton<GatewayToolCallStore>();
        builder.Services.AddSingleton<AuditLog>();
        builder.Services.AddSingleton<ServerHealthStore>();
        builder.Services.AddSingleton<ServerHealthChecker>();
        builder.Services.AddHostedService<HealthCheckWorker>();
        builder.Services.AddSingleton<UpstreamUrlPolicy>();
        // Every upstream connection goes through the SSRF policy after DNS resolution.
        builder.Services.AddHttpClient(UpstreamConnector.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(services => new SocketsHttpHandler
            {
                ConnectCallback = services.GetRequiredService<UpstreamUrlPolicy>().ConnectAsync,
                UseProxy = false,
                PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
            });
        builder.Services.AddSingleton<UpstreamConnector>();
        builder.Services.AddSingleton<ProgressRouter>();
        builder.Services.AddSingleton<UpstreamSessionPool>();
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddHostedService<OutboxPublisher>();
        builder.Services.AddManagementKeyResolver(DefaultManagementUrl);
        builder.Services.AddSingleton<GatewayTools>();
        builder.Services.AddSingleton<GatewayMcpServerOptions>();

        builder.AddRabbitMqConsumer<RequestCompletedConsumer>(RequestCompletedQueue, 200, 1_000, 5_000, 15_000);
        return builder;
    }
}
