using Requesty.Management.Application;
using Requesty.Management.Domain.ApiKeys;
using Requesty.Management.Infrastructure.ReadModels;
using Requesty.ServiceDefaults;

namespace Requesty.Management.Apis.Security;

/// <summary>
/// "Authorization: Bearer &lt;api key&gt;" for /v1/manage: the key is looked up by its SHA-256, must be
/// live (not deleted, not expired) and carry manage_read for reads or manage_write for writes. Members
/// (keys of "member" users) are held to <see cref="RoleRequirements"/>.
/// </summary>
public sealed class ManagementAuthFilter(ApiKeyReadModel apiKeys, TimeProvider time) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var key = BearerToken.From(http.Request);
        if (key is null) return Unauthorized(http, "Send your API key as 'Authorization: Bearer <key>'.");

        var row = await apiKeys.FindByHashAsync(ApiKeySecret.Hash(key), http.RequestAborted);
        if (row is null || row.DeletedAt is not null || row.IsExpired(time.GetUtcNow().UtcDateTime))
            return Unauthorized(http, "The API key is invalid, deleted or expired.");

        var required = HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)
            ? ApiKeyPermissions.ManageRead
            : ApiKeyPermissions.ManageWrite;
        if (!row.Permissions.Contains(required))
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
                detail: $"This API key lacks the '{required}' permission.");

        var caller = new Caller(row.Id, row.OrganizationId, row.UserId, row.Permissions, row.Role);
        if (!caller.IsAdmin && !MemberMay(http, required))
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
                detail: "This action needs the admin role; your API key belongs to a member.");

        http.SetCaller(caller);
        return await next(context);
    }

    private static bool MemberMay(HttpContext http, string required)
    {
        var metadata = http.GetEndpoint()?.Metadata;
        if (metadata?.GetMetadata<RoleRequirements.AdminOnly>() is not null) return false;
        return required == ApiKeyPermissions.ManageRead || metadata?.GetMetadata<RoleRequirements.MemberWritesAllowed>() is not null;
    }

    private static IResult Unauthorized(HttpContext http, string detail)
    {
        http.Response.Headers.WWWAuthenticate = "Bearer";
        return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized", detail: detail);
    }
}
