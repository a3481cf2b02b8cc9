using Requesty.Management.Infrastructure.EventSourcing;

namespace Requesty.Management.Application;

/// <summary>The authenticated API key a management request acts as.</summary>
public sealed record Caller(Guid ApiKeyId, Guid OrganizationId, Guid? UserId, IReadOnlyList<string> Permissions)
{
    public EventMetadata Metadata(string? correlationId) => new($"api_key:{ApiKeyId}", correlationId);
}
