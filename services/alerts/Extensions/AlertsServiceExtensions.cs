using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Requesty.Alerts.Application;
using Requesty.Alerts.Application.Budgets;
using Requesty.Alerts.Application.Delivery;
using Requesty.Alerts.Auth;
using Requesty.Alerts.Infrastructure;
using Requesty.Alerts.Infrastructure.Management;
using Requesty.ServiceDefaults;

namespace Requesty.Alerts.Extensions;

public static class AlertsServiceExtensions
{
    public const string RequestCompletedQueue = "alerts-request-completed";
    public const string DefaultManagementUrl = "http://127.0.0.1:5081/";

    public static IHostApplicationBuilder AddAlertsServices(this IHostApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.NumberHandling = JsonNumberHandling.AllowReadingFromString;
        });
        builder.Services.AddSingleton(TimeProvider.System);

        builder.AddPostgres();
        builder.AddPostgresSchemaMigration(AlertsSchema.Definition);
        builder.Services.AddSingleton<AlertLedger>();
        builder.Services.AddSingleton<SpendLedger>();
        builder.Services.AddSingleton<AlertRuleStore>();
        builder.Services.AddSingleton<WebhookStore>();
        builder.Services.AddSingleton<PendingEvaluationStore>();
        builder.Services.AddSingleton<DeliveryStore>();

        builder.Services.Configure<ManagementOptions>(builder.Configuration.GetSection(ManagementOptions.Section));
        builder.Services.AddHttpClient(ManagementBudgetsClient.HttpClientName, c =>
        {
            var url = builder.Configuration["Management:Url"] ?? DefaultManagementUrl;
            c.BaseAddress = new Uri(url.EndsWith('/') ? url : url + "/");
            c.Timeout = TimeSpan.FromSeconds(30); // per-call timeouts are set by the callers
        });
        builder.Services.AddSingleton<ManagementBudgetsClient>();
        builder.Services.AddSingleton<OrgBudgetsProvider>();
        builder.Services.AddHostedService<PendingEvaluationWorker>();
        builder.Services.AddManagementKeyResolver(DefaultManagementUrl)
            .Configure<IOptions<ManagementOptions>>((keys, management) => keys.RequestTimeout = management.Value.RequestTimeout);

        builder.Services.Configure<DeliveryOptions>(builder.Configuration.GetSection(DeliveryOptions.Section));
        builder.Services.Configure<WebhookOptions>(builder.Configuration.GetSection(WebhookOptions.Section));
        var development = builder.Environment.IsDevelopment();
        builder.Services.AddSingleton(sp => new WebhookUrlPolicy(
            sp.GetRequiredService<IOptions<WebhookOptions>>().Value.AllowPrivateAddresses ?? development));
        builder.Services.AddSingleton(sp => WebhookSecrets.FromBase64(sp.GetRequiredService<IOptions<WebhookOptions>>().Value.SecretKey));
        builder.Services.AddSingleton<WebhookSender>();
        builder.Services.AddHostedService<DeliveryWorker>();

        builder.AddRabbitMqConsumer<RequestCompletedConsumer>(RequestCompletedQueue, 200, 1_000, 5_000, 15_000);
        return builder;
    }
}
