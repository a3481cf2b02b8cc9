using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Requesty.Management.Infrastructure.Database;
using Requesty.Management.Infrastructure.Projections;
using Requesty.ServiceDefaults;

namespace Requesty.Management.Infrastructure.EventSourcing;

/// <summary>
/// Append-only event log in management.events. Appends are atomic across streams, check each
/// stream's expected version, and update every projection in the same transaction.
/// </summary>
public sealed class EventStore(
    NpgsqlDataSource dataSource,
    IEnumerable<IProjection> projections,
    OutboxSignal outboxSignal,
    TimeProvider timeProvider)
{
    private const string SelectColumns = "seq, stream_id, stream_type, version, event_type, data, metadata, occurred_at";
    private readonly IProjection[] _projections = projections.ToArray();

    public async Task<IReadOnlyList<StoredEvent>> AppendAsync(
        IReadOnlyList<StreamAppend> appends, EventMetadata metadata, CancellationToken cancellationToken)
    {
        if (appends.Count == 0 || appends.Any(a => a.Events.Count == 0))
            throw new ArgumentException("Every stream append needs at least one event.", nameof(appends));

        try
        {
            var stored = await AppendInTransactionAsync(appends, metadata, cancellationToken);
            outboxSignal.Notify();
            return stored;
        }
        catch (PostgresException ex) when (ex is { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "events_stream_version_unique" })
        {
            // Unreachable while every writer takes the advisory lock; kept as the last line of defence.
            throw new ConcurrencyException(appends[0].StreamId, appends[0].ExpectedVersion, -1);
        }
    }

    private async Task<IReadOnlyList<StoredEvent>> AppendInTransactionAsync(
        IReadOnlyList<StreamAppend> appends, EventMetadata metadata, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // One append at a time, lock held until COMMIT. Without it two transactions could take
        // sequence numbers 7 and 8 and commit 8 first: the outbox reader would see 8, move its
        // checkpoint past 7 and never publish 7 (Marten's "high water mark" problem). Serialized,
        // a sequence number only becomes visible after every smaller one, and max(seq)+1 below
        // is gap-free because no other writer can interleave.
        await using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({AdvisoryLocks.EventAppend})", connection, transaction))
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);

        var occurredAt = TruncateToMicroseconds(timeProvider.GetUtcNow().UtcDateTime);
        var metadataJson = JsonSerializer.Serialize(metadata, EventTypeRegistry.Json);
        var sequence = await ScalarLong(connection, transaction, "SELECT coalesce(max(seq), 0) FROM management.events", null, cancellationToken);
        var stored = new List<StoredEvent>();

        foreach (var append in appends)
        {
            var currentVersion = await ScalarLong(connection, transaction,
                "SELECT coalesce(max(version), 0) FROM management.events WHERE stream_id = @stream_id", append.StreamId, cancellationToken);
            if (currentVersion != append.ExpectedVersion)
                throw new ConcurrencyException(append.StreamId, append.ExpectedVersion, currentVersion);

            var version = currentVersion;
            foreach (var @event in append.Events)
            {
                var row = new StoredEvent(++sequence, append.StreamId, append.StreamType, ++version,
                    EventTypeRegistry.NameOf(@event), @event, metadata, occurredAt);
                await InsertAsync(connection, transaction, row, metadataJson, cancellationToken);
                stored.Add(row);
            }
        }

        foreach (var @event in stored)
            foreach (var projection in _projections)
                await projection.ApplyAsync(@event, connection, transaction, cancellationToken);

        await transaction.CommitAsync(cancellationToken);
        return stored;
    }

    public Task<IReadOnlyList<StoredEvent>> AppendAsync(StreamAppend append, EventMetadata metadata, CancellationToken cancellationToken) =>
        AppendAsync([append], metadata, cancellationToken);

    public async Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(Guid streamId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {SelectColumns} FROM management.events WHERE stream_id = @stream_id ORDER BY version");
        command.Parameters.AddWithValue("stream_id", streamId);
        return await ReadAll(command, cancellationToken);
    }

    /// <summary>The stream as it was at <paramref name="until"/>: its events that occurred at or before that instant, in order (time travel).</summary>
    public async Task<IReadOnlyList<StoredEvent>> ReadStreamUntilAsync(Guid streamId, DateTime until, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {SelectColumns} FROM management.events WHERE stream_id = @stream_id AND occurred_at <= @until ORDER BY version");
        command.Parameters.AddWithValue("stream_id", streamId);
        command.Parameters.AddWithValue("until", DateTime.SpecifyKind(until, DateTimeKind.Utc));
        return await ReadAll(command, cancellationToken);
    }

    /// <summary>Events with a sequence greater than <paramref name="afterSequence"/>, in order (the outbox and rebuild read this).</summary>
    public async Task<IReadOnlyList<StoredEvent>> ReadAllAsync(long afterSequence, int maxCount, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {SelectColumns} FROM management.events WHERE seq > @after ORDER BY seq LIMIT @max");
        command.Parameters.AddWithValue("after", afterSequence);
        command.Parameters.AddWithValue("max", maxCount);
        return await ReadAll(command, cancellationToken);
    }

    public async Task<long> LastSequenceAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT coalesce(max(seq), 0) FROM management.events");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    internal static async Task<IReadOnlyList<StoredEvent>> ReadAll(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var events = new List<StoredEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var eventType = reader.GetString(4);
            events.Add(new StoredEvent(
                reader.GetInt64(0),
                reader.GetGuid(1),
                reader.GetString(2),
                reader.GetInt64(3),
                eventType,
                EventTypeRegistry.Deserialize(eventType, reader.GetString(5)),
                JsonSerializer.Deserialize<EventMetadata>(reader.GetString(6), EventTypeRegistry.Json)!,
                reader.GetFieldValue<DateTime>(7)));
        }
        return events;
    }

    private static async Task InsertAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, StoredEvent row, string metadataJson, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO management.events (seq, stream_id, stream_type, version, event_type, data, metadata, occurred_at)
            VALUES (@seq, @stream_id, @stream_type, @version, @event_type, @data, @metadata, @occurred_at)
            """, connection, transaction);
        command.Parameters.AddWithValue("seq", row.Sequence);
        command.Parameters.AddWithValue("stream_id", row.StreamId);
        command.Parameters.AddWithValue("stream_type", row.StreamType);
        command.Parameters.AddWithValue("version", row.Version);
        command.Parameters.AddWithValue("event_type", row.EventType);
        command.Parameters.Add(new NpgsqlParameter("data", NpgsqlDbType.Jsonb) { Value = EventTypeRegistry.Serialize(row.Data) });
        command.Parameters.Add(new NpgsqlParameter("metadata", NpgsqlDbType.Jsonb) { Value = metadataJson });
        command.Parameters.AddWithValue("occurred_at", row.OccurredAt);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<long> ScalarLong(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, Guid? streamId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        if (streamId is { } id) command.Parameters.AddWithValue("stream_id", id);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    // PostgreSQL keeps microseconds; truncating first makes the live projection and a replay see the same instant.
    private static DateTime TruncateToMicroseconds(DateTime value) =>
        new(value.Ticks - value.Ticks % 10, DateTimeKind.Utc);
}
