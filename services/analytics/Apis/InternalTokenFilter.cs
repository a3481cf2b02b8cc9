using System.Security.Cryptography;
using System.Text;

namespace Requesty.Analytics.Apis;

/// <summary>
/// Requires "Authorization: Bearer {Internal:Token}" (service-to-service secret) until
/// organization-level auth arrives. Compared as SHA-256 digests in constant time.
/// </summary>
public sealed class InternalTokenFilter(IConfiguration configuration) : IEndpointFilter
{
    private readonly byte[]? _expectedHash = configuration["Internal:Token"] is { Length: > 0 } token
        ? SHA256.HashData(Encoding.UTF8.GetBytes(token))
        : null;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var header = context.HttpContext.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (_expectedHash is null
            || !header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)
            || !CryptographicOperations.FixedTimeEquals(_expectedHash, SHA256.HashData(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()))))
        {
            return Results.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Unauthorized",
                detail: "Send the internal service token as 'Authorization: Bearer <token>'.");
        }
        return await next(context);
    }
}
