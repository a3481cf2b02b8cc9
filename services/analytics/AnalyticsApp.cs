using Requesty.Analytics.Apis;
using Requesty.Analytics.Extensions;
using Requesty.ServiceDefaults;

namespace Requesty.Analytics;

/// <summary>Builds the service's web application; Program.cs runs it, tests host it in-process.</summary>
public static class AnalyticsApp
{
    public const int DefaultPort = 5082;

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"]))
            builder.WebHost.UseUrls($"http://0.0.0.0:{DefaultPort}");
        builder.AddServiceDefaults();
        builder.AddAnalyticsServices();

        var app = builder.Build();
        app.MapServiceDefaults();
        app.MapAnalyticsApi();
        return app;
    }
}
