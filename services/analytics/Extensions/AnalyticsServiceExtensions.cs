using System.Text.Json;
using MassTransit;
using Requesty.Analytics.Application.Access;
using Requesty.Analytics.Application.Feedback;
using Requesty.Analytics.Application.Mcp;
using Requesty.Analytics.Application.Ingestion;
using Requesty.Analytics.Application.Queries;
using Requesty.Analytics.Application.Queries.Metrics;
using Requesty.Analytics.Application.Queries.Usage;
using Requesty.Analytics.Application.Queries.Sessions;
using Requesty.Analytics.Application.Queries.Mcp;
using Requesty.Analytics.Application.Rollups;
using Requesty.Analytics.Application.Queries.Tools;
using Requesty.Analytics.Infrastructure.ClickHouse;
using Requesty.Analytics.Infrastructure.Schema;
using Requesty.ServiceDefaults;

namespace Requesty.Analytics.Extensions;

public static class AnalyticsServiceExtensions
{
    public const string DefaultManagementUrl = "http://127.0.0.1:5081/";

    /// <summary>ClickHouse client, schema migrations, RequestCompleted ingestion and the query side.</summary>
    public static IHostApplicationBuilder AddAnalyticsServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ClickHouseOptions>().Bind(builder.Configuration.GetSection(ClickHouseOptions.Section));
        // ClickHouse closes idle keep-alive connections after 3 s (keep_alive_timeout); reusing one it just closed breaks
        // the insert mid-body ("Broken pipe") and costs a batch retry, so idle connections are dropped sooner here.
        services.AddHttpClient<ClickHouseClient>()
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromSeconds(2) });
        services.AddSingleton(TimeProvider.System);

        services.AddSingleton<SchemaReadiness>();
        services.AddTransient<ClickHouseMigrator>();
        services.AddHostedService<SchemaMigrationService>();
        services.AddHealthChecks().AddCheck<ClickHouseHealthCheck>("clickhouse", tags: [ServiceDefaultsExtensions.ReadyTag]);

        services.AddTransient<IRequestAnalyticsWriter, ClickHouseRequestWriter>();
        services.AddTransient<AnalyticsQueries>();
        services.AddTransient<MetricQueryRunner>();
        services.AddTransient<UsageQueries>();
        services.AddTransient<SessionQueries>();
        services.AddTransient<ToolQueries>();
        services.AddTransient<McpQueries>();
        services.AddOptions<RollupOptions>().Bind(builder.Configuration.GetSection(RollupOptions.Section));
        services.AddTransient<HourlyRollup>();
        services.AddTransient<RollupReader>();
        services.AddTransient<DailyLatency>();
        services.AddHostedService<RollupService>();

        // Unknown keys are retried sooner than elsewhere: a key created a moment ago should start working quickly.
        services.AddManagementKeyResolver(DefaultManagementUrl).Configure(keys => keys.MissTtl = TimeSpan.FromSeconds(3));

        var ingestion = builder.Configuration.GetSection(IngestionOptions.Section).Get<IngestionOptions>() ?? new IngestionOptions();
        // Batching sets prefetch and concurrency itself, so RabbitMq:ConcurrencyLimit does not apply here.
        var queue = QueueSettings.From(builder.Configuration, IngestionEndpoint.QueueName);
        var batchQueue = QueueSettings.From(builder.Configuration, IngestionEndpoint.BatchQueueName);
        var feedbackQueue = QueueSettings.From(builder.Configuration, FeedbackConsumer.QueueName);
        var mcpQueue = QueueSettings.From(builder.Configuration, McpToolCalledBatchConsumer.QueueName);
        services.AddTransient<McpToolCallWriter>();
        services.AddTransient<FeedbackStore>();
        builder.AddRabbitMqBus(
            bus =>
            {
                IngestionEndpoint.AddConsumers(bus, ingestion);
                bus.AddConsumer<FeedbackConsumer>();
                McpToolCalledBatchConsumer.AddTo(bus, ingestion);
            },
            (context, cfg) =>
            {
                cfg.ReceiveEndpoint(batchQueue, endpoint => IngestionEndpoint.ConfigureBatches(context, endpoint, ingestion));
                cfg.ReceiveEndpoint(queue, endpoint => IngestionEndpoint.Configure(context, endpoint, ingestion));
                cfg.ReceiveEndpoint(mcpQueue, endpoint => McpToolCalledBatchConsumer.Configure(context, endpoint, ingestion));
                cfg.ReceiveEndpoint(feedbackQueue, endpoint =>
                {
                    // One at a time: each merge reads the stored feedback and writes the merged object.
                    endpoint.ConcurrentMessageLimit = 1;
                    endpoint.UseMessageRetry(retry => retry.Intervals(200, 1000, 5000, 15000));
                    endpoint.ConfigureConsumer<FeedbackConsumer>(context);
                });
            });

        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        return builder;
    }
}
