using System.Text.Json;
using MassTransit;
using Npgsql;
using Requesty.Contracts.Events;
using Requesty.ServiceDefaults;

namespace Requesty.McpGateway.Messaging;

/// <summary>
/// Sends the events of mcp.outbox and marks them published (at-least-once: a crash between publish
/// and commit sends again; consumers are idempotent on McpToolCalled.CallId, which is also the
/// MessageId). Rows are claimed with FOR UPDATE SKIP LOCKED, so replicas never send the same batch
/// at once. While RabbitMQ is down a publish times out, the batch stays pending and is retried.
/// </summary>
public sealed class OutboxPublisher(
    NpgsqlDataSource dataSource, IBus bus, OutboxSignal signal, IConfiguration configuration, ILogger<OutboxPublisher> logger) : BackgroundService
{
    public const int BatchSize = 100;
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan KeepPublished = TimeSpan.FromDays(1);
    private static readonly TimeSpan CleanupInterval = TimeSpan.FromMinutes(10);
    private static readonly JsonSerializerOptions EventJson = new(JsonSerializerDefaults.Web);

    private TimeSpan PollInterval => TimeSpan.FromMilliseconds(Math.Max(50, configuration.GetValue("Mcp:OutboxPollMilliseconds", 1000)));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var nextCleanup = DateTime.UtcNow;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var published = await PublishBatchAsync(stoppingToken);
                if (DateTime.UtcNow >= nextCleanup)
                {
                    await DeleteOldAsync(stoppingToken);
                    nextCleanup = DateTime.UtcNow + CleanupInterval;
                }
                if (published >= BatchSize) continue;
                await signal.WaitAsync(PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Publishing the MCP outbox failed; retrying in {Delay}", RetryDelay);
                try { await Task.Delay(RetryDelay, stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <summary>Sends at most one batch; returns how many events were published.</summary>
    public async Task<int> PublishBatchAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var pending = new List<(Guid Id, string Type, string Payload)>();
        await using (var select = new NpgsqlCommand("""
            SELECT id, message_type, payload::text FROM mcp.outbox WHERE published_at IS NULL
            ORDER BY created_at LIMIT @limit FOR UPDATE SKIP LOCKED
            """, connection, transaction))
        {
            select.Parameters.AddWithValue("limit", BatchSize);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) pending.Add((reader.GetGuid(0), reader.GetString(1), reader.GetString(2)));
        }
        if (pending.Count == 0) return 0;

        var sent = new List<Guid>();
        Exception? failure = null;
        foreach (var (id, type, payload) in pending)
        {
            try
            {
                await PublishAsync(type, payload, cancellationToken);
                sent.Add(id);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                failure = e;
                break;
            }
        }

        if (sent.Count > 0)
        {
            await using var mark = new NpgsqlCommand("UPDATE mcp.outbox SET published_at = now(), attempts = attempts + 1 WHERE id = ANY(@ids)",
                connection, transaction);
            mark.Parameters.AddWithValue("ids", sent.ToArray());
            await mark.ExecuteNonQueryAsync(cancellationToken);
        }
        if (failure is not null)
        {
            await using var note = new NpgsqlCommand("UPDATE mcp.outbox SET attempts = attempts + 1, last_error = @error WHERE id = @id",
                connection, transaction);
            note.Parameters.AddWithValue("id", pending[sent.Count].Id);
            note.Parameters.AddWithValue("error", failure.GetBaseException().Message is { Length: > 500 } m ? m[..500] : failure.GetBaseException().Message);
            await note.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        if (failure is not null) throw new InvalidOperationException($"Sent {sent.Count} of {pending.Count} outbox events.", failure);
        return sent.Count;
    }

    private async Task PublishAsync(string type, string payload, CancellationToken cancellationToken)
    {
        // Publish waits (rather than fails) while RabbitMQ is unreachable; the timeout turns that into a retry.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(PublishTimeout);
        switch (type)
        {
            case nameof(McpToolCalled):
                var message = JsonSerializer.Deserialize<McpToolCalled>(payload, EventJson)
                              ?? throw new InvalidOperationException("Empty McpToolCalled payload.");
                await bus.Publish(message, context => context.MessageId = message.CallId, timeout.Token);
                break;
            default:
                throw new InvalidOperationException($"Unknown outbox message type '{type}'.");
        }
    }

    private async Task DeleteOldAsync(CancellationToken cancellationToken)
    {
        await using var delete = dataSource.CreateCommand("DELETE FROM mcp.outbox WHERE published_at < @before");
        delete.Parameters.AddWithValue("before", DateTime.UtcNow - KeepPublished);
        await delete.ExecuteNonQueryAsync(cancellationToken);
    }
}
