using Requesty.Management.Domain.Users;
using Requesty.Management.Infrastructure.EventSourcing;

namespace Requesty.Management.Application;

/// <summary>
/// The authenticated API key a management request acts as. <see cref="Role"/> is the key user's role;
/// keys of service accounts and keys without a user (organisation keys) act as admin.
/// </summary>
public sealed record Caller(Guid ApiKeyId, Guid OrganizationId, Guid? UserId, IReadOnlyList<string> Permissions, string Role = UserRoles.Admin)
{
    public bool IsAdmin => Role == UserRoles.Admin;

    /// <summary>Admins see the whole organisation; members only what belongs to their own user.</summary>
    public bool MaySee(Guid? ownerUserId) => IsAdmin || (UserId is { } self && ownerUserId == self);

    public EventMetadata Metadata(string? correlationId) => new($"api_key:{ApiKeyId}", correlationId);
}
