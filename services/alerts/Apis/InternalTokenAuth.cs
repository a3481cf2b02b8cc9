using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Requesty.Alerts.Apis;

public sealed class InternalTokenOptions
{
    public const string Section = "Internal";

    /// <summary>Shared secret other services (and admins, for now) present as "Authorization: Bearer &lt;token&gt;".</summary>
    public string? Token { get; set; }
}

/// <summary>
/// Guards the service's REST API with the shared internal token until user authentication
/// (management keys with manage_read) arrives. Fails closed when no token is configured.
/// </summary>
public sealed class InternalTokenFilter(IOptions<InternalTokenOptions> options) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var expected = options.Value.Token;
        var header = context.HttpContext.Request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        var presented = header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? header[prefix.Length..].Trim() : null;

        if (string.IsNullOrEmpty(expected) || presented is null || !FixedTimeEquals(presented, expected))
        {
            context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
            return TypedResults.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Unauthorized",
                detail: "A valid internal bearer token is required.");
        }
        return await next(context);
    }

    private static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(a)), SHA256.HashData(Encoding.UTF8.GetBytes(b)));
}
