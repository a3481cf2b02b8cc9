using Npgsql;
using Requesty.Management.Domain.Policies;
using Requesty.Management.Infrastructure.EventSourcing;

namespace Requesty.Management.Application.Policies;

/// <summary>
/// Current policies, folded from their streams. Policies are few and small, so they are read from the
/// event log directly rather than from a projection table.
/// </summary>
public sealed class PolicyReadModel(NpgsqlDataSource dataSource, EventStore eventStore)
{
    public async Task<Policy?> FindAsync(Guid organizationId, string name, CancellationToken cancellationToken)
    {
        var history = await eventStore.ReadStreamAsync(Policy.StreamIdFor(organizationId, name), cancellationToken);
        return Policy.FromHistory(history.Select(e => (e.Data, e.OccurredAt)));
    }

    /// <summary>Live policies of one organisation, by name.</summary>
    public async Task<IReadOnlyList<Policy>> ListAsync(Guid organizationId, CancellationToken cancellationToken) =>
        (await ListLiveAsync(cancellationToken)).Where(p => p.OrganizationId == organizationId).ToList();

    /// <summary>Live policies of every organisation (the router's snapshot).</summary>
    public async Task<IReadOnlyList<Policy>> ListLiveAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT seq, stream_id, stream_type, version, event_type, data, metadata, occurred_at
            FROM management.events WHERE stream_type = @stream_type ORDER BY stream_id, version
            """);
        command.Parameters.AddWithValue("stream_type", Policy.StreamType);
        var events = await EventStore.ReadAll(command, cancellationToken);
        return events.GroupBy(e => e.StreamId)
            .Select(stream => Policy.FromHistory(stream.Select(e => (e.Data, e.OccurredAt))))
            .OfType<Policy>()
            .Where(p => !p.Removed)
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ToList();
    }
}
