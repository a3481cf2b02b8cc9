using Requesty.Alerts.Apis;
using Requesty.Alerts.Extensions;
using Requesty.ServiceDefaults;

namespace Requesty.Alerts;

/// <summary>Builds the service's web application; Program.cs runs it, tests host it in-process.</summary>
public static class AlertsApp
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults();
        builder.AddAlertsServices();

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapServiceDefaults();
        app.MapSpendApi();
        app.MapRulesApi();
        app.MapWebhookApi();
        app.MapDeliveriesApi();
        app.MapBudgetsApi();
        return app;
    }
}
