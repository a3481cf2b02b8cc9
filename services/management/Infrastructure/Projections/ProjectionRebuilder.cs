using Npgsql;
using Requesty.Management.Infrastructure.Database;
using Requesty.Management.Infrastructure.EventSourcing;

namespace Requesty.Management.Infrastructure.Projections;

/// <summary>
/// Throws every read model away and replays the whole log through the projections, in one
/// transaction under the append lock: writers wait, readers keep seeing the old rows until commit
/// (DELETE rather than TRUNCATE for exactly that reason - TRUNCATE would block readers).
/// </summary>
public sealed class ProjectionRebuilder(NpgsqlDataSource dataSource, IEnumerable<IProjection> projections, ILogger<ProjectionRebuilder> logger)
{
    private const int BatchSize = 1000;
    private readonly IProjection[] _projections = projections.ToArray();

    public async Task<long> RebuildAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({AdvisoryLocks.EventAppend})", connection, transaction))
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);

        foreach (var table in _projections.SelectMany(p => p.Tables).Distinct())
        {
            await using var clear = new NpgsqlCommand($"DELETE FROM {table}", connection, transaction);
            await clear.ExecuteNonQueryAsync(cancellationToken);
        }

        long position = 0, replayed = 0;
        while (true)
        {
            IReadOnlyList<StoredEvent> batch;
            await using (var read = new NpgsqlCommand("""
                SELECT seq, stream_id, stream_type, version, event_type, data, metadata, occurred_at
                FROM management.events WHERE seq > @after ORDER BY seq LIMIT @max
                """, connection, transaction))
            {
                read.Parameters.AddWithValue("after", position);
                read.Parameters.AddWithValue("max", BatchSize);
                batch = await EventStore.ReadAll(read, cancellationToken);
            }
            if (batch.Count == 0) break;

            foreach (var @event in batch)
                foreach (var projection in _projections)
                    await projection.ApplyAsync(@event, connection, transaction, cancellationToken);
            position = batch[^1].Sequence;
            replayed += batch.Count;
        }

        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Rebuilt projections from {Count} events", replayed);
        return replayed;
    }
}
