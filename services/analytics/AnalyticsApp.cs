using Requesty.ServiceDefaults;

namespace Requesty.Analytics;

/// <summary>Builds the service's web application; Program.cs runs it, tests host it in-process.</summary>
public static class AnalyticsApp
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults();

        var app = builder.Build();
        app.MapServiceDefaults();
        return app;
    }
}
