using MassTransit;
using Microsoft.Extensions.Options;
using Npgsql;
using Requesty.Contracts.Management;
using Requesty.Management.Application.Startup;
using Requesty.Management.Infrastructure.EventSourcing;
using Requesty.ServiceDefaults;

namespace Requesty.Management.Infrastructure.Outbox;

/// <summary>
/// The events table is the outbox: this service reads events past its checkpoint, publishes their
/// integration events and only then advances the checkpoint (at-least-once: a crash between publish
/// and commit republishes, consumers are idempotent/version-aware). The checkpoint row is locked
/// with SKIP LOCKED while a batch is in flight, so with several instances one publishes at a time.
/// </summary>
public sealed class OutboxPublisher(
    NpgsqlDataSource dataSource,
    EventStore eventStore,
    IBus bus,
    OutboxSignal signal,
    StartupGate startupGate,
    IOptions<OutboxOptions> options,
    ILogger<OutboxPublisher> logger) : BackgroundService
{
    private readonly OutboxOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await startupGate.WaitAsync(stoppingToken);
            await EnsureCheckpointAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var published = await PublishBatchAsync(stoppingToken);
                if (published >= _options.BatchSize) continue; // more waiting: no pause
                await signal.WaitAsync(_options.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Outbox publishing failed; retrying in {Delay}", _options.RetryDelay);
                try { await Task.Delay(_options.RetryDelay, stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <summary>Publishes at most one batch; returns how many events it went past.</summary>
    public async Task<int> PublishBatchAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        long position;
        await using (var select = new NpgsqlCommand(
            "SELECT position FROM management.outbox_checkpoint WHERE name = @name FOR UPDATE SKIP LOCKED", connection, transaction))
        {
            select.Parameters.AddWithValue("name", _options.Name);
            if (await select.ExecuteScalarAsync(cancellationToken) is not long current) return 0; // another instance is publishing
            position = current;
        }

        var batch = await eventStore.ReadAllAsync(position, _options.BatchSize, cancellationToken);
        if (batch.Count == 0) return 0;

        var histories = new Dictionary<Guid, IReadOnlyList<StoredEvent>>();
        foreach (var @event in batch)
        {
            if (!histories.TryGetValue(@event.StreamId, out var history))
                histories[@event.StreamId] = history = await eventStore.ReadStreamAsync(@event.StreamId, cancellationToken);

            var message = IntegrationEventMapper.MapWithSequence(@event, history);
            if (message is not null) await PublishAsync(message, cancellationToken);
        }

        await using (var advance = new NpgsqlCommand(
            "UPDATE management.outbox_checkpoint SET position = @position, updated_at = now() WHERE name = @name", connection, transaction))
        {
            advance.Parameters.AddWithValue("position", batch[^1].Sequence);
            advance.Parameters.AddWithValue("name", _options.Name);
            await advance.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return batch.Count;
    }

    private async Task PublishAsync(object message, CancellationToken cancellationToken)
    {
        // Publish waits (rather than fails) while RabbitMQ is unreachable; the timeout turns that into a retry.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.PublishTimeout);
        switch (message)
        {
            case ApiKeyUpserted upserted:
                await bus.Publish(upserted, timeout.Token);
                break;
            case ApiKeyRevoked revoked:
                await bus.Publish(revoked, timeout.Token);
                break;
            default:
                await bus.Publish(message, timeout.Token);
                break;
        }
    }

    private async Task EnsureCheckpointAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO management.outbox_checkpoint (name, position, updated_at) VALUES (@name, 0, now())
            ON CONFLICT (name) DO NOTHING
            """);
        command.Parameters.AddWithValue("name", _options.Name);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
