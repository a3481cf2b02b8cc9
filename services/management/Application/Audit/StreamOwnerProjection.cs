using System.Collections.Concurrent;
using System.Reflection;
using Npgsql;
using Requesty.Management.Domain;
using Requesty.Management.Infrastructure.EventSourcing;
using Requesty.Management.Infrastructure.Projections;

namespace Requesty.Management.Application.Audit;

/// <summary>
/// management.stream_owners: the organisation every stream belongs to, taken from the stream's first
/// event - its OrganizationId property (every "created" event of an organisation-owned aggregate has
/// one), or else the organisation of the API key that appended it. The audit log shows a caller only
/// the events of streams its organisation owns; a stream with no owner is shown to nobody.
/// </summary>
public sealed class StreamOwnerProjection : IProjection
{
    private static readonly ConcurrentDictionary<Type, PropertyInfo?> OrganizationProperties = new();

    public IReadOnlyList<string> Tables { get; } = ["management.stream_owners"];

    public async Task ApplyAsync(StoredEvent @event, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        if (@event.Version != 1) return;

        var organizationId = OrganizationIdOf(@event.Data);
        if (organizationId is null && ActorApiKeyId(@event.Metadata.Actor) is { } actorKeyId)
        {
            // The actor key was created by an earlier event, so a replay finds the same row.
            await using var lookup = new NpgsqlCommand("SELECT organization_id FROM management.api_keys WHERE id = @id", connection, transaction);
            lookup.Parameters.AddWithValue("id", actorKeyId);
            organizationId = await lookup.ExecuteScalarAsync(cancellationToken) as Guid?;
        }
        if (organizationId is null) return;

        await using var command = new NpgsqlCommand("""
            INSERT INTO management.stream_owners (stream_id, stream_type, organization_id)
            VALUES (@stream_id, @stream_type, @organization_id)
            ON CONFLICT (stream_id) DO NOTHING
            """, connection, transaction);
        command.Parameters.AddWithValue("stream_id", @event.StreamId);
        command.Parameters.AddWithValue("stream_type", @event.StreamType);
        command.Parameters.AddWithValue("organization_id", organizationId.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static Guid? OrganizationIdOf(IDomainEvent data)
    {
        var property = OrganizationProperties.GetOrAdd(data.GetType(), type =>
            type.GetProperty("OrganizationId") is { } p && (p.PropertyType == typeof(Guid) || p.PropertyType == typeof(Guid?)) ? p : null);
        return property?.GetValue(data) is Guid id && id != Guid.Empty ? id : null;
    }

    /// <summary>The key id of an "api_key:&lt;id&gt;" actor, else null.</summary>
    public static Guid? ActorApiKeyId(string? actor) =>
        actor is not null && actor.StartsWith(AuditActors.ApiKeyPrefix, StringComparison.Ordinal)
            && Guid.TryParse(actor.AsSpan(AuditActors.ApiKeyPrefix.Length), out var id) ? id : null;
}
