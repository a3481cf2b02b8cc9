using System.Text;
using Npgsql;
using Requesty.Management.Infrastructure.EventSourcing;

namespace Requesty.Management.Application.Audit;

/// <summary>The event log read as an audit trail: one organisation's changes, filtered, in log order, a page at a time.</summary>
public sealed class AuditLog(NpgsqlDataSource dataSource)
{
    public async Task<AuditPage> ReadAsync(Guid organizationId, AuditQuery query, CancellationToken cancellationToken)
    {
        var sql = new StringBuilder("""
            SELECT e.seq, e.stream_id, e.stream_type, e.version, e.event_type, e.data, e.metadata, e.occurred_at
            FROM management.events e
            JOIN management.stream_owners o ON o.stream_id = e.stream_id
            WHERE o.organization_id = @organization_id AND e.seq > @after
            """);
        await using var command = dataSource.CreateCommand();
        command.Parameters.AddWithValue("organization_id", organizationId);
        command.Parameters.AddWithValue("after", query.After);
        Filter(command, sql, "e.stream_type = @stream_type", "stream_type", query.StreamType);
        Filter(command, sql, "e.stream_id = @stream_id", "stream_id", query.StreamId);
        Filter(command, sql, "e.metadata->>'actor' = @actor", "actor", query.Actor);
        Filter(command, sql, "e.event_type = @event_type", "event_type", query.EventType);
        Filter(command, sql, "e.occurred_at >= @from", "from", query.From);
        Filter(command, sql, "e.occurred_at < @to", "to", query.To);
        sql.Append(" ORDER BY e.seq LIMIT @limit");
        command.Parameters.AddWithValue("limit", query.Limit + 1);
        command.CommandText = sql.ToString();

        var events = await EventStore.ReadAll(command, cancellationToken);
        var page = events.Take(query.Limit).ToList();
        var names = await KeyNamesAsync(organizationId, page, cancellationToken);
        var entries = page.Select(e => new AuditEntry(
            e.Sequence,
            e.OccurredAt,
            e.Metadata.Actor,
            StreamOwnerProjection.ActorApiKeyId(e.Metadata.Actor) is { } keyId ? names.GetValueOrDefault(keyId) : null,
            e.StreamType,
            e.StreamId,
            e.Version,
            e.EventType,
            AuditDataRedactor.Redact(e.Data),
            e.Metadata.CorrelationId)).ToList();
        return new AuditPage(entries, events.Count > query.Limit ? page[^1].Sequence : null);
    }

    private static void Filter(NpgsqlCommand command, StringBuilder sql, string condition, string parameter, object? value)
    {
        if (value is null) return;
        sql.Append(" AND ").Append(condition);
        command.Parameters.AddWithValue(parameter, value);
    }

    /// <summary>Names of the page's actor keys, one query; only keys of the caller's organisation (deleted ones too).</summary>
    private async Task<Dictionary<Guid, string>> KeyNamesAsync(Guid organizationId, IEnumerable<StoredEvent> events, CancellationToken cancellationToken)
    {
        var ids = events.Select(e => StreamOwnerProjection.ActorApiKeyId(e.Metadata.Actor)).OfType<Guid>().Distinct().ToArray();
        var names = new Dictionary<Guid, string>();
        if (ids.Length == 0) return names;
        await using var command = dataSource.CreateCommand(
            "SELECT id, name FROM management.api_keys WHERE organization_id = @organization_id AND id = ANY(@ids)");
        command.Parameters.AddWithValue("organization_id", organizationId);
        command.Parameters.AddWithValue("ids", ids);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) names[reader.GetGuid(0)] = reader.GetString(1);
        return names;
    }
}
