using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Requesty.ServiceDefaults;

/// <summary>What every service has: problem details, health endpoints, Swagger, UTC JSON logs.</summary>
public static class ServiceDefaultsExtensions
{
    public const string ReadyTag = "ready";

    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder, bool withSwagger = true)
    {
        builder.Logging.AddSimpleConsole(o =>
        {
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.SingleLine = true;
        });
        // Per-request framework logs cost time on every call; keep them for problems only.
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        // Hosting creates an Activity and a logging scope for every request whenever this category logs at any level
        // (and HttpClient then makes a child Activity and a traceparent header for every upstream call); it writes only
        // per-request information lines, and no tracing is configured, so it is switched off entirely.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Routing.EndpointMiddleware", LogLevel.Warning);
        builder.Services.AddProblemDetails();
        builder.Services.AddHealthChecks();
        if (withSwagger)
        {
            builder.Services.AddEndpointsApiExplorer();
            builder.Services.AddSwaggerGen();
        }
        return builder;
    }

    /// <summary>/healthz answers while the process runs; /readyz runs the checks tagged "ready".</summary>
    public static WebApplication MapServiceDefaults(this WebApplication app, bool withSwagger = true)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteHealth });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteHealth });
        if (withSwagger)
        {
            // A branch, so API calls do not pass through the Swagger middlewares.
            app.UseWhen(http => http.Request.Path.StartsWithSegments("/swagger"), swagger =>
            {
                swagger.UseSwagger();
                swagger.UseSwaggerUI();
            });
        }
        return app;
    }

    private static Task WriteHealth(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var checks = report.Entries.ToDictionary(
            e => e.Key,
            e => new HealthEntry(e.Value.Status.ToString(), e.Value.Description ?? e.Value.Exception?.Message));
        return context.Response.WriteAsJsonAsync(new HealthResponse(report.Status.ToString(), checks));
    }

    private sealed record HealthResponse(string Status, Dictionary<string, HealthEntry> Checks);

    private sealed record HealthEntry(string Status, string? Description);
}
