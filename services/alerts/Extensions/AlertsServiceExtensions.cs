using System.Text.Json;
using MassTransit;
using Requesty.Alerts.Apis;
using Requesty.Alerts.Application;
using Requesty.Alerts.Infrastructure;
using Requesty.ServiceDefaults;

namespace Requesty.Alerts.Extensions;

public static class AlertsServiceExtensions
{
    public const string RequestCompletedQueue = "alerts-request-completed";

    public static IHostApplicationBuilder AddAlertsServices(this IHostApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.Configure<InternalTokenOptions>(builder.Configuration.GetSection(InternalTokenOptions.Section));

        builder.AddPostgres();
        // Registered before the bus so the schema exists before the first message is consumed
        // (hosted services start in registration order).
        builder.Services.AddHostedService<AlertsSchemaMigrator>();
        builder.Services.AddSingleton<SpendLedger>();

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
