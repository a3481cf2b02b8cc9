using System.Security.Cryptography;
using System.Text;
using Requesty.Analytics.Application.Access;
using Requesty.ServiceDefaults;

namespace Requesty.Analytics.Apis;

/// <summary>
/// Authenticates every /v1/analytics route. "Authorization: Bearer &lt;Internal:Token&gt;" is a service
/// caller (org_id names the organisation). Any other bearer token is a gateway API key, resolved through
/// management: unknown or expired -> 401, without manage_read -> 403, an org_id other than the key's -> 403.
/// </summary>
public sealed class CallerAuthenticationFilter(IConfiguration configuration, ManagementKeyResolver keys, ILogger<CallerAuthenticationFilter> logger)
    : IEndpointFilter
{
    public const string ReadPermission = "manage_read";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var presented = BearerToken.From(http.Request);
        if (presented is null) return Unauthorized(http, "Send 'Authorization: Bearer <API key>'.");

        var internalToken = configuration[InternalTokenFilter.ConfigurationKey];
        if (!string.IsNullOrEmpty(internalToken) && FixedTimeEquals(presented, internalToken))
        {
            AnalyticsCaller.Service.AttachTo(http);
            return await next(context);
        }

        Contracts.Keys.ApiKeyContext? key;
        try
        {
            key = await keys.ResolveAsync(presented, http.RequestAborted);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !http.RequestAborted.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Management could not be asked about an API key");
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service unavailable",
                detail: "The API key could not be verified right now; try again shortly.");
        }
        if (key is null)
            return Unauthorized(http, "The API key is not valid.");
        if (!key.Permissions.Contains(ReadPermission, StringComparer.Ordinal))
            return Forbidden($"The API key lacks the '{ReadPermission}' permission.");

        var requested = http.Request.Query["org_id"].ToString();
        if (requested.Length > 0 && Guid.TryParse(requested, out var org) && org != key.OrganizationId)
            return Forbidden("The API key belongs to another organization.");

        AnalyticsCaller.FromKey(key).AttachTo(http);
        return await next(context);
    }

    public static IResult Forbidden(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: detail);

    private static IResult Unauthorized(HttpContext http, string detail)
    {
        http.Response.Headers.WWWAuthenticate = "Bearer";
        return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized", detail: detail);
    }

    private static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(a)), SHA256.HashData(Encoding.UTF8.GetBytes(b)));
}
