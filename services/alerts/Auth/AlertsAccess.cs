using System.Security.Cryptography;
using System.Text;
using Requesty.Contracts.Keys;
using Requesty.ServiceDefaults;

namespace Requesty.Alerts.Auth;

/// <summary>What an endpoint requires of an API key.</summary>
public enum AlertsAccessLevel
{
    /// <summary>manage_read or manage_write, any role.</summary>
    Read,
    /// <summary>manage_read or manage_write on a key whose role is "admin" (webhook URLs, deliveries, other members' spend and budgets).</summary>
    AdminRead,
    /// <summary>manage_write on a key whose role is "admin".</summary>
    Write,
}

/// <summary>
/// Alerts API authentication: `Authorization: Bearer &lt;gateway API key&gt;` (the key's organization,
/// permissions and role, resolved at management), or the internal service token with ?org_id= (full
/// rights, for other services and operators). An unknown key is 401, missing permissions 403, an
/// org_id of another organization 404 (its existence is not revealed).
/// </summary>
public sealed class AlertsAccessFilter(AlertsAccessLevel level) : IEndpointFilter
{
    public const string ManageRead = "manage_read";
    public const string ManageWrite = "manage_write";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var token = BearerToken.From(http.Request);
        if (token is null) return Unauthorized(http, "Send your Requesty API key (or the internal service token) as 'Authorization: Bearer <token>'.");

        var queryOrg = http.Request.Query["org_id"].ToString();
        var configuration = http.RequestServices.GetRequiredService<IConfiguration>();
        if (IsInternalToken(configuration, token))
        {
            new AlertsCaller(Guid.TryParse(queryOrg, out var org) && org != Guid.Empty ? org : null, IsApiKey: false, "internal-token").AttachTo(http);
            return await next(context);
        }

        ApiKeyContext? key;
        try
        {
            key = await http.RequestServices.GetRequiredService<ManagementKeyResolver>().ResolveAsync(token, http.RequestAborted);
        }
        catch (HttpRequestException e)
        {
            http.RequestServices.GetRequiredService<ILogger<AlertsAccessFilter>>().LogError(e, "API key lookup at management failed");
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Key lookup unavailable",
                detail: "The API key could not be verified right now; retry shortly.");
        }
        if (key is null) return Unauthorized(http, "The API key is invalid, revoked or expired.");
        if (queryOrg.Length > 0 && (!Guid.TryParse(queryOrg, out var requested) || requested != key.OrganizationId))
            return NotFound();

        var isAdmin = string.Equals(key.Role, ApiKeyRoles.Admin, StringComparison.Ordinal);
        var canWrite = key.Permissions.Contains(ManageWrite);
        var canRead = canWrite || key.Permissions.Contains(ManageRead);
        var allowed = level switch
        {
            AlertsAccessLevel.Read => canRead,
            AlertsAccessLevel.AdminRead => canRead && isAdmin,
            _ => canWrite && isAdmin,
        };
        if (!allowed)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: level switch
            {
                AlertsAccessLevel.Read => "This API key needs the manage_read or manage_write permission.",
                AlertsAccessLevel.AdminRead => "This needs an organization admin's API key with manage_read or manage_write.",
                _ => "Changing alerts needs an organization admin's API key with the manage_write permission.",
            });
        }
        new AlertsCaller(key.OrganizationId, IsApiKey: true, $"api-key:{key.ApiKeyId}").AttachTo(http);
        return await next(context);
    }

    public static IResult NotFound() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "No such organization for this API key.");

    private static bool IsInternalToken(IConfiguration configuration, string presented) =>
        configuration[InternalTokenFilter.ConfigurationKey] is { Length: > 0 } expected &&
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    private static IResult Unauthorized(HttpContext http, string detail)
    {
        http.Response.Headers.WWWAuthenticate = "Bearer";
        return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized", detail: detail);
    }
}

public static class AlertsAccessExtensions
{
    public static TBuilder RequireAlertsAccess<TBuilder>(this TBuilder builder, AlertsAccessLevel level) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(new AlertsAccessFilter(level));
}
