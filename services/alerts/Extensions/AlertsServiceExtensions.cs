using System.Text.Json;
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

        builder.AddPostgres();
        builder.AddPostgresSchemaMigration(AlertsSchema.Definition);
        builder.Services.AddSingleton<SpendLedger>();

        builder.AddRabbitMqConsumer<RequestCompletedConsumer>(RequestCompletedQueue, 200, 1_000, 5_000, 15_000);
        return builder;
    }
}
