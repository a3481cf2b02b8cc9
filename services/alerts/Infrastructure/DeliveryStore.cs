using Npgsql;

namespace Requesty.Alerts.Infrastructure;

public sealed record ClaimedDelivery(Guid Id, Guid OrganizationId, string AlertType, string Payload, int Attempts);

public sealed record DeliveryAttemptRecord(int Attempt, string WebhookType, string Url, int? StatusCode, int LatencyMs, string? Error, DateTime AttemptedAt);

public sealed record DeliveryRecord(
    Guid Id, Guid RuleId, string AlertType, string Status, int Attempts, string Payload,
    DateTime CreatedAt, DateTime? CompletedAt, IReadOnlyList<DeliveryAttemptRecord> AttemptLog);

/// <summary>The delivery outbox (alerts.deliveries) and its attempt log (alerts.delivery_attempts).</summary>
public sealed class DeliveryStore(NpgsqlDataSource dataSource)
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Failed = "failed";

    /// <summary>
    /// Leases due deliveries to this instance. SKIP LOCKED plus the lease keep two instances from
    /// sending the same delivery; a crashed instance's lease simply runs out.
    /// </summary>
    public async Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(int limit, TimeSpan lease, DateTime now, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE alerts.deliveries d SET locked_until = @until
            WHERE d.id IN (
                SELECT id FROM alerts.deliveries
                WHERE status = 'pending' AND next_attempt_at <= @now AND (locked_until IS NULL OR locked_until < @now)
                ORDER BY next_attempt_at
                LIMIT @limit
                FOR UPDATE SKIP LOCKED)
            RETURNING d.id, d.organization_id, d.alert_type, d.payload::text, d.attempts
            """);
        command.Parameters.AddWithValue("until", now + lease);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("limit", limit);
        var claimed = new List<ClaimedDelivery>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            claimed.Add(new ClaimedDelivery(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4)));
        return claimed;
    }

    public async Task RecordAttemptAsync(Guid deliveryId, DeliveryAttemptRecord attempt, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            WITH logged AS (
                INSERT INTO alerts.delivery_attempts (delivery_id, attempt, webhook_type, url, status_code, latency_ms, error, attempted_at)
                VALUES (@id, @attempt, @type, @url, @status, @latency, @error, @at)
                ON CONFLICT DO NOTHING
                RETURNING delivery_id)
            UPDATE alerts.deliveries SET attempts = attempts + 1 WHERE id IN (SELECT delivery_id FROM logged)
            """);
        command.Parameters.AddWithValue("id", deliveryId);
        command.Parameters.AddWithValue("attempt", attempt.Attempt);
        command.Parameters.AddWithValue("type", attempt.WebhookType);
        command.Parameters.AddWithValue("url", attempt.Url);
        command.Parameters.Add(new NpgsqlParameter("status", NpgsqlTypes.NpgsqlDbType.Integer) { Value = (object?)attempt.StatusCode ?? DBNull.Value });
        command.Parameters.AddWithValue("latency", attempt.LatencyMs);
        command.Parameters.Add(new NpgsqlParameter("error", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)attempt.Error ?? DBNull.Value });
        command.Parameters.AddWithValue("at", attempt.AttemptedAt);
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task CompleteAsync(Guid deliveryId, string status, DateTime now, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE alerts.deliveries SET status = @status, completed_at = @now, locked_until = NULL WHERE id = @id");
        command.Parameters.AddWithValue("id", deliveryId);
        command.Parameters.AddWithValue("status", status);
        command.Parameters.AddWithValue("now", now);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Gives an unfinished delivery back (shutdown), so the next instance need not wait for the lease.</summary>
    public async Task ReleaseAsync(Guid deliveryId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("UPDATE alerts.deliveries SET locked_until = NULL WHERE id = @id AND status = 'pending'");
        command.Parameters.AddWithValue("id", deliveryId);
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<IReadOnlyList<DeliveryRecord>> ListAsync(Guid org, int limit, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT d.id, d.rule_id, d.alert_type, d.status, d.attempts, d.payload::text, d.created_at, d.completed_at,
                   a.attempt, a.webhook_type, a.url, a.status_code, a.latency_ms, a.error, a.attempted_at
            FROM (SELECT * FROM alerts.deliveries WHERE organization_id = @org ORDER BY created_at DESC, id DESC LIMIT @limit) d
            LEFT JOIN alerts.delivery_attempts a ON a.delivery_id = d.id
            ORDER BY d.created_at DESC, d.id DESC, a.attempt
            """);
        command.Parameters.AddWithValue("org", org);
        command.Parameters.AddWithValue("limit", limit);
        var deliveries = new List<DeliveryRecord>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var id = reader.GetGuid(0);
            if (deliveries.Count == 0 || deliveries[^1].Id != id)
            {
                deliveries.Add(new DeliveryRecord(id, reader.GetGuid(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4),
                    reader.GetString(5), reader.GetDateTime(6), reader.IsDBNull(7) ? null : reader.GetDateTime(7), new List<DeliveryAttemptRecord>()));
            }
            if (reader.IsDBNull(8)) continue;
            ((List<DeliveryAttemptRecord>)deliveries[^1].AttemptLog).Add(new DeliveryAttemptRecord(
                reader.GetInt32(8), reader.GetString(9), reader.GetString(10),
                reader.IsDBNull(11) ? null : reader.GetInt32(11), reader.GetInt32(12),
                reader.IsDBNull(13) ? null : reader.GetString(13), reader.GetDateTime(14)));
        }
        return deliveries;
    }
}
