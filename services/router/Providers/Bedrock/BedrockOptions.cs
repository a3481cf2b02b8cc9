using System.Text.RegularExpressions;

namespace Requesty.Router.Providers.Bedrock;

/// <summary>
/// Providers:bedrock:Region (default us-east-1) and either :AccessKeyId + :SecretAccessKey (+ :SessionToken), signed
/// with SigV4, or :ApiKey (a Bedrock API key, sent as a bearer token). :BaseUrl overrides the regional endpoint
/// (VPC endpoints). Without credentials Bedrock is not configured (the simulator does not speak it).
/// </summary>
public sealed partial record BedrockOptions(string DefaultRegion, AwsCredentials? Credentials, string? ApiKey, string? BaseUrl)
{
    public const string ProviderName = "bedrock";

    public static BedrockOptions From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Providers:bedrock");
        var credentials = section["AccessKeyId"] is { Length: > 0 } id && section["SecretAccessKey"] is { Length: > 0 } secret
            ? new AwsCredentials(id, secret, section["SessionToken"])
            : null;
        return new BedrockOptions(section["Region"] is { Length: > 0 } region ? region : "us-east-1", credentials,
            section["ApiKey"] is { Length: > 0 } key ? key : null, section["BaseUrl"] is { Length: > 0 } url ? url : null);
    }

    /// <summary>The directory entry, when credentials are configured.</summary>
    public static ProviderEndpoint? Endpoint(IConfiguration configuration)
    {
        var options = From(configuration);
        if (options.Credentials is null && options.ApiKey is null) return null;
        return new ProviderEndpoint(ProviderName, options.BaseUri(options.DefaultRegion), options.ApiKey ?? "", IsSimulator: false);
    }

    /// <summary>The AWS region a model's "@region" suffix names, else the configured one ("@eu" is not an AWS region).</summary>
    public string RegionFor(string modelRegion) => AwsRegion().IsMatch(modelRegion) ? modelRegion : DefaultRegion;

    public Uri BaseUri(string region) => new(BaseUrl is { } url ? (url.EndsWith('/') ? url : url + "/") : $"https://bedrock-runtime.{region}.amazonaws.com/");

    [GeneratedRegex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$")]
    private static partial Regex AwsRegion();
}
