namespace Requesty.Router.Providers;

/// <summary>Where a provider's API lives and which key the platform uses for it.</summary>
public sealed record ProviderEndpoint(string Name, Uri BaseAddress, string ApiKey, bool IsSimulator);
