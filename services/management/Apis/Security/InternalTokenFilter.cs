using System.Security.Cryptography;
using System.Text;

namespace Requesty.Management.Apis.Security;

/// <summary>Service-to-service routes: "Authorization: Bearer &lt;Internal:Token&gt;" (constant-time compare; no token configured = closed).</summary>
public sealed class InternalTokenFilter(IConfiguration configuration) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var expected = configuration["Internal:Token"];
        var presented = BearerToken.From(context.HttpContext.Request);
        if (string.IsNullOrEmpty(expected) || presented is null ||
            !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(presented)))
        {
            context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
                detail: "Internal routes need the internal service token.");
        }
        return await next(context);
    }
}
