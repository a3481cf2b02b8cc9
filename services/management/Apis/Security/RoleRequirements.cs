namespace Requesty.Management.Apis.Security;

/// <summary>
/// RBAC on /v1/manage, enforced by <see cref="ManagementAuthFilter"/>: members ("member" role) may read,
/// but writes are admin-only unless the endpoint opts in with <see cref="AllowMemberWrites{T}"/> (their own
/// API keys); <see cref="RequireAdmin{T}"/> also closes reads. Default-deny, so new write endpoints are
/// admin-only without doing anything.
/// </summary>
public static class RoleRequirements
{
    public static TBuilder AllowMemberWrites<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new MemberWritesAllowed());

    public static TBuilder RequireAdmin<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AdminOnly());

    public sealed class MemberWritesAllowed;

    public sealed class AdminOnly;
}
