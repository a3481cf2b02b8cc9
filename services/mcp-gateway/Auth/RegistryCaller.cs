using System.Security.Cryptography;
using System.Text;
using Requesty.Contracts.Keys;
using Requesty.ServiceDefaults;

namespace Requesty.McpGateway.Auth;

/// <summary>Who is calling the registry: organization, optional user, and what they may do.</summary>
public sealed record RegistryCaller(Guid OrganizationId, Guid? UserId, bool CanRead, bool CanWrite, string Actor, bool IsAdmin = true)
{
    public const string InternalActor = "internal-token";

    private const string ItemKey = nameof(RegistryCaller);

    public static RegistryCaller From(HttpContext context) =>
        context.Items[ItemKey] as RegistryCaller ?? throw new InvalidOperationException("The registry caller filter did not run.");

    internal void AttachTo(HttpContext context) => context.Items[ItemKey] = this;
}

/// <summary>
/// Registry authentication. Either a service with the internal token, scoped by ?org_id= (and
/// ?user_id= to act for a user), with full rights; or a caller with their own gateway API key:
/// the key's organization and user, reading with manage_read or manage_write, changing the registry
/// only with manage_write on a key whose role is "admin". Members (the default role) may still read
/// and manage their own user keys.
/// </summary>
public sealed class RegistryCallerFilter(IConfiguration configuration, ILogger<RegistryCallerFilter> logger) : IEndpointFilter
{
    public const string ManageRead = "manage_read";
    public const string ManageWrite = "manage_write";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var token = BearerToken.From(http.Request);
        if (token is null) return Unauthorized(http, "Send the internal service token or your Requesty API key as 'Authorization: Bearer <token>'.");

        var query = http.Request.Query;
        if (IsInternalToken(token))
        {
            var errors = new Dictionary<string, string[]>();
            if (!Guid.TryParse(query["org_id"], out var org)) errors["org_id"] = ["org_id is required with the internal token and must be a UUID."];
            Guid? user = null;
            if (query.ContainsKey("user_id"))
            {
                if (Guid.TryParse(query["user_id"], out var parsed)) user = parsed;
                else errors["user_id"] = ["user_id must be a UUID."];
            }
            if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
            new RegistryCaller(org, user, CanRead: true, CanWrite: true, RegistryCaller.InternalActor).AttachTo(http);
            return await next(context);
        }

        ApiKeyContext? key;
        try
        {
            key = await http.RequestServices.GetRequiredService<ManagementKeyResolver>().ResolveAsync(token, http.RequestAborted);
        }
        catch (HttpRequestException e)
        {
            logger.LogError(e, "API key lookup at management failed");
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Key lookup unavailable",
                detail: "The API key could not be verified right now; retry shortly.");
        }
        if (key is null) return Unauthorized(http, "The API key is invalid, revoked or expired.");
        if (query.ContainsKey("org_id") && (!Guid.TryParse(query["org_id"], out var requested) || requested != key.OrganizationId))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
                detail: "An API key can only manage its own organization's MCP servers.");
        }

        var isAdmin = string.Equals(key.Role, ApiKeyRoles.Admin, StringComparison.Ordinal);
        var hasWrite = key.Permissions.Contains(ManageWrite);
        new RegistryCaller(key.OrganizationId, key.UserId, CanRead: hasWrite || key.Permissions.Contains(ManageRead), CanWrite: hasWrite && isAdmin,
            $"api-key:{key.ApiKeyId}", isAdmin).AttachTo(http);
        return await next(context);
    }

    private bool IsInternalToken(string presented) =>
        configuration[InternalTokenFilter.ConfigurationKey] is { Length: > 0 } expected &&
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    private static IResult Unauthorized(HttpContext http, string detail)
    {
        http.Response.Headers.WWWAuthenticate = "Bearer";
        return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized", detail: detail);
    }
}

public static class RegistryCallerExtensions
{
    public static TBuilder RequireRegistryCaller<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter<TBuilder, RegistryCallerFilter>();
}
