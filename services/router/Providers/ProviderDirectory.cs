using System.Collections.Frozen;

namespace Requesty.Router.Providers;

/// <summary>
/// Resolves each provider's endpoint from configuration (Providers:{Name}:BaseUrl / :ApiKey).
/// A provider with no platform key goes to the provider simulator when Simulator:Url is set:
/// that is the out-of-the-box demo and the test set-up; real keys switch to the real APIs.
/// </summary>
public sealed class ProviderDirectory
{
    private static readonly FrozenDictionary<string, string> RealBaseUrls = new Dictionary<string, string>
    {
        ["openai"] = "https://api.openai.com/v1/",
        ["anthropic"] = "https://api.anthropic.com/",
        ["google"] = "https://generativelanguage.googleapis.com/",
    }.ToFrozenDictionary();

    // The simulator serves every provider's wire format from its root, with the same paths as the real APIs.
    private static readonly FrozenDictionary<string, string> SimulatorPaths = new Dictionary<string, string>
    {
        ["openai"] = "v1/",
        ["anthropic"] = "",
        ["google"] = "",
    }.ToFrozenDictionary();

    private readonly FrozenDictionary<string, ProviderEndpoint> _endpoints;

    public ProviderDirectory(IConfiguration configuration)
    {
        var simulator = configuration["Simulator:Url"];
        _endpoints = RealBaseUrls.Keys.ToFrozenDictionary(name => name, name => Resolve(configuration, name, simulator));
    }

    public bool TryGet(string provider, out ProviderEndpoint endpoint) => _endpoints.TryGetValue(provider, out endpoint!);

    private static ProviderEndpoint Resolve(IConfiguration configuration, string name, string? simulatorUrl)
    {
        var section = configuration.GetSection($"Providers:{name}");
        var apiKey = section["ApiKey"];
        var baseUrl = section["BaseUrl"];
        if (string.IsNullOrEmpty(apiKey) && !string.IsNullOrEmpty(simulatorUrl) && string.IsNullOrEmpty(baseUrl))
        {
            return new ProviderEndpoint(name, new Uri(WithSlash(simulatorUrl) + SimulatorPaths[name]), "simulator-key", IsSimulator: true);
        }
        return new ProviderEndpoint(name, new Uri(WithSlash(baseUrl ?? RealBaseUrls[name])), apiKey ?? "", IsSimulator: false);
    }

    private static string WithSlash(string url) => url.EndsWith('/') ? url : url + "/";
}
