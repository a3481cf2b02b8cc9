using System.Collections.Frozen;
using Requesty.Router.Providers.Azure;
using Requesty.Router.Providers.Bedrock;
using Requesty.Router.Providers.OpenAICompatible;

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
        var endpoints = RealBaseUrls.Keys.ToDictionary(name => name, name => Resolve(configuration, name, simulator));
        AddOpenAICompatible(endpoints, configuration, simulator);
        if (BedrockOptions.Endpoint(configuration) is { } bedrock) endpoints[bedrock.Name] = bedrock;
        if (Vertex.VertexOptions.Endpoint(configuration) is { } vertex) endpoints[vertex.Name] = vertex;
        // The Responses API lives next to chat completions at OpenAI: same base URL (simulator "v1/"), same key.
        endpoints["openai-responses"] = endpoints["openai"] with { Name = "openai-responses" };
        _endpoints = endpoints.ToFrozenDictionary();
    }

    public bool TryGet(string provider, out ProviderEndpoint endpoint) => _endpoints.TryGetValue(provider, out endpoint!);

    /// <summary>Whether a request for a model of <paramref name="provider"/> can be sent on the platform's own key.</summary>
    public bool ServesOnPlatformKey(string provider) => _endpoints.TryGetValue(provider, out var endpoint) && endpoint.HasPlatformKey;

    private static ProviderEndpoint Resolve(IConfiguration configuration, string name, string? simulatorUrl)
    {
        var section = configuration.GetSection($"Providers:{name}");
        var apiKey = section["ApiKey"];
        var baseUrl = section["BaseUrl"];
        if (string.IsNullOrEmpty(apiKey) && !string.IsNullOrEmpty(simulatorUrl) && string.IsNullOrEmpty(baseUrl))
        {
            return Simulated(name, simulatorUrl, SimulatorPaths[name]);
        }
        return Configured(name, baseUrl ?? RealBaseUrls[name], apiKey, baseUrl);
    }

    /// <summary>
    /// OpenAI-format providers (built-in ones such as mistral, those added as Providers:{name}:Format=openai, and
    /// Azure at Providers:azure:Endpoint): without a key and an explicit URL they go to the simulator's OpenAI routes;
    /// one with neither a URL nor a simulator is not configured.
    /// </summary>
    private static void AddOpenAICompatible(Dictionary<string, ProviderEndpoint> endpoints, IConfiguration configuration, string? simulatorUrl)
    {
        var providers = OpenAICompatibleProfile.All(configuration).Select(p => (p.Name, p.RealBaseUrl))
            .Append((Name: AzureOpenAIChatProvider.ProviderName, RealBaseUrl: (string?)null));
        foreach (var (name, realBaseUrl) in providers)
        {
            var section = configuration.GetSection($"Providers:{name}");
            var apiKey = section["ApiKey"];
            var explicitUrl = section["BaseUrl"] is { Length: > 0 } baseUrl ? baseUrl : section["Endpoint"];
            if (string.IsNullOrEmpty(apiKey) && string.IsNullOrEmpty(explicitUrl) && !string.IsNullOrEmpty(simulatorUrl))
            {
                endpoints[name] = Simulated(name, simulatorUrl, "v1/");
            }
            else if ((string.IsNullOrEmpty(explicitUrl) ? realBaseUrl : explicitUrl) is { Length: > 0 } url)
            {
                endpoints[name] = Configured(name, url, apiKey, explicitUrl);
            }
        }
    }

    private static ProviderEndpoint Simulated(string name, string simulatorUrl, string path) =>
        new(name, new Uri(WithSlash(simulatorUrl) + path), "simulator-key", IsSimulator: true);

    /// <summary>
    /// A real endpoint at <paramref name="url"/>. The platform can call it on its own with a key, or without one when the
    /// operator configured the server's URL (a keyless vLLM or Ollama); a built-in URL without a key is BYOK-only.
    /// </summary>
    private static ProviderEndpoint Configured(string name, string url, string? apiKey, string? configuredUrl) =>
        new(name, new Uri(WithSlash(url)), apiKey ?? "", IsSimulator: false,
            HasPlatformKey: !string.IsNullOrEmpty(apiKey) || !string.IsNullOrEmpty(configuredUrl));

    private static string WithSlash(string url) => url.EndsWith('/') ? url : url + "/";
}
