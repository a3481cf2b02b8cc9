namespace Requesty.Router.Providers;

/// <summary>
/// Where a provider's API lives and which key the platform uses for it. <paramref name="HasPlatformKey"/>: the platform
/// can call it on its own (a key, a keyless server configured by URL, the simulator, or signed credentials); without it
/// only an organisation's own key (BYOK, through a policy) reaches the provider.
/// </summary>
public sealed record ProviderEndpoint(string Name, Uri BaseAddress, string ApiKey, bool IsSimulator, bool HasPlatformKey = true);
