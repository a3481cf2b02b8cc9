using System.Text.RegularExpressions;

namespace Requesty.Router.Providers.Vertex;

/// <summary>
/// Providers:vertex: a service account as :ServiceAccountJson (the key file's JSON) or :ServiceAccountFile (its path);
/// :ProjectId overrides the account's project_id; :Region is the default location (us-central1) for models whose
/// "@region" is not a Google Cloud region; :BaseUrl replaces the regional endpoint (the simulator, a proxy).
/// Without a service account Vertex goes to the provider simulator when Simulator:Url is set (with a throwaway key),
/// otherwise it is not configured.
/// </summary>
public sealed partial record VertexOptions(VertexServiceAccount? Account, string? ProjectId, string DefaultLocation, string? BaseUrl, bool UsesSimulator)
{
    public const string ProviderName = "vertex";
    public const string SimulatorProject = "requesty-simulator";

    public static VertexOptions From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Providers:vertex");
        var json = section["ServiceAccountJson"] is { Length: > 0 } inline ? inline
            : section["ServiceAccountFile"] is { Length: > 0 } path ? File.ReadAllText(path) : null;
        var location = section["Region"] is { Length: > 0 } region ? region : "us-central1";
        var baseUrl = section["BaseUrl"] is { Length: > 0 } url ? WithSlash(url) : null;
        if (json is not null)
        {
            var account = VertexServiceAccount.Parse(json);
            return new VertexOptions(account, section["ProjectId"] is { Length: > 0 } project ? project : account.ProjectId, location, baseUrl, UsesSimulator: false);
        }
        if (configuration["Simulator:Url"] is { Length: > 0 } simulator)
        {
            var projectId = section["ProjectId"] is { Length: > 0 } project ? project : SimulatorProject;
            return new VertexOptions(VertexServiceAccount.Ephemeral(WithSlash(simulator) + "oauth2/token", projectId), projectId, location,
                WithSlash(simulator), UsesSimulator: true);
        }
        return new VertexOptions(null, null, location, baseUrl, UsesSimulator: false);
    }

    /// <summary>The directory entry, when Vertex is configured (the access token comes from the service account, not a key).</summary>
    public static ProviderEndpoint? Endpoint(IConfiguration configuration)
    {
        var options = From(configuration);
        if (options.Account is null) return null;
        return new ProviderEndpoint(ProviderName, options.BaseUri(options.DefaultLocation), "", options.UsesSimulator);
    }

    /// <summary>The Vertex location a model's "@region" names (a Cloud region or "global"), else the configured default.</summary>
    public string LocationFor(string modelRegion) => CloudRegion().IsMatch(modelRegion) ? modelRegion : DefaultLocation;

    /// <summary>https://{location}-aiplatform.googleapis.com/ (global: https://aiplatform.googleapis.com/) unless :BaseUrl replaces it.</summary>
    public Uri BaseUri(string location) =>
        new(BaseUrl ?? (location == "global" ? "https://aiplatform.googleapis.com/" : $"https://{location}-aiplatform.googleapis.com/"));

    /// <summary>v1/projects/{project}/locations/{location}/publishers/{publisher}/models/{model}:{action} ('@' in model versions stays as it is).</summary>
    public Uri ModelUri(string location, string publisher, string model, string action) =>
        new(BaseUri(location), $"v1/projects/{Uri.EscapeDataString(ProjectId ?? "")}/locations/{Uri.EscapeDataString(location)}/publishers/{publisher}/models/"
            + Uri.EscapeDataString(model).Replace("%40", "@", StringComparison.Ordinal) + ":" + action);

    private static string WithSlash(string url) => url.EndsWith('/') ? url : url + "/";

    [GeneratedRegex("^(global|[a-z]+-[a-z]+[0-9]+)$")]
    private static partial Regex CloudRegion();
}
