namespace Requesty.Router;

public sealed class RouterOptions
{
    /// <summary>Model used when neither the request nor the key names one.</summary>
    public string DefaultModel { get; init; } = "openai/gpt-4o-mini";

    /// <summary>Upper bound for one upstream call, streams included.</summary>
    public TimeSpan UpstreamTimeout { get; init; } = TimeSpan.FromMinutes(10);

    public static RouterOptions From(IConfiguration configuration) => new()
    {
        DefaultModel = configuration["Router:DefaultModel"] ?? "openai/gpt-4o-mini",
        UpstreamTimeout = TimeSpan.FromSeconds(configuration.GetValue("Router:UpstreamTimeoutSeconds", 600)),
    };
}
