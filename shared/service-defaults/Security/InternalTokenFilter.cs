using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace Requesty.ServiceDefaults;

/// <summary>
/// Service-to-service routes: requires "Authorization: Bearer &lt;Internal:Token&gt;". Compared as
/// SHA-256 digests in constant time (no length leak); with no token configured every call is
/// refused. Answers 401 problem details with WWW-Authenticate: Bearer.
/// </summary>
public sealed class InternalTokenFilter(IConfiguration configuration) : IEndpointFilter
{
    public const string ConfigurationKey = "Internal:Token";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var expected = configuration[ConfigurationKey];
        var presented = BearerToken.From(context.HttpContext.Request);
        if (string.IsNullOrEmpty(expected) || presented is null || !FixedTimeEquals(presented, expected))
        {
            context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
            return TypedResults.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Unauthorized",
                detail: "Send the internal service token as 'Authorization: Bearer <token>'.");
        }
        return await next(context);
    }

    private static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(a)), SHA256.HashData(Encoding.UTF8.GetBytes(b)));
}
