namespace Requesty.Router.Routing;

public sealed class RoutingOptions
{
    /// <summary>
    /// How long one policy attempt may wait for the provider's response headers before the next try
    /// (a hung provider must not hold the whole chain for the full upstream timeout).
    /// </summary>
    public TimeSpan AttemptFirstByteTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public static RoutingOptions From(IConfiguration configuration) => new()
    {
        AttemptFirstByteTimeout = TimeSpan.FromSeconds(configuration.GetValue("Routing:FirstByteTimeoutSeconds", 60.0)),
    };
}
