namespace Requesty.ProviderSimulator;

/// <summary>Builds the simulator's web application; Program.cs runs it, tests host it in-process.</summary>
public static class SimulatorApp
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var app = builder.Build();
        app.MapGet("/healthz", () => Results.Ok(new { status = "Healthy" }));
        return app;
    }
}
