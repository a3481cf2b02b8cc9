using Npgsql;
using NpgsqlTypes;
using Requesty.Alerts.Application;
using Requesty.Alerts.Application.Alerts;
using Requesty.Contracts.Events;

namespace Requesty.Alerts.Infrastructure;

/// <summary>One accumulated spend row.</summary>
public sealed record SpendRow(
    Guid OrganizationId, DateOnly Month, string Scope, Guid ScopeId, Guid? GroupId,
    decimal SpendUsd, long RequestCount, DateTime UpdatedAt);

/// <summary>PostgreSQL storage of monthly spend (alerts.spend) and of the requests already counted.</summary>
public sealed class SpendLedger(NpgsqlDataSource dataSource, TimeProvider clock, AlertLedger alerts)
{
    /// <summary>
    /// Adds the request's cost to its spend rows and evaluates the alert rules. The processed_requests
    /// insert, the spend upsert and the alert ledger share one transaction, so a redelivered request
    /// id changes nothing and an alert fires once. Management's budgets are fetched first (outside the
    /// transaction); if management is unavailable the spend is still recorded and the evaluation deferred.
    /// </summary>
    /// <returns>false when the request had already been recorded.</returns>
    public async Task<bool> RecordAsync(RequestCompleted request, CancellationToken cancellationToken)
    {
        var month = SpendMonth.Of(request.CompletedAt);
        var keys = SpendAttribution.KeysFor(request.Caller);
        var budgets = await alerts.PrefetchAsync(request.Caller.OrganizationId, cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        await using (var claim = new NpgsqlCommand("""
            INSERT INTO alerts.processed_requests (request_id, organization_id, cost_usd, completed_at, processed_at)
            VALUES (@request_id, @organization_id, @cost, @completed_at, @now)
            ON CONFLICT (request_id) DO NOTHING
            """, connection, transaction))
        {
            claim.Parameters.AddWithValue("request_id", request.RequestId);
            claim.Parameters.AddWithValue("organization_id", request.Caller.OrganizationId);
            claim.Parameters.AddWithValue("cost", request.CostUsd);
            claim.Parameters.AddWithValue("completed_at", AsUtc(request.CompletedAt));
            claim.Parameters.AddWithValue("now", now);
            if (await claim.ExecuteNonQueryAsync(cancellationToken) == 0) return false;
        }

        var spendAfter = new List<SpendKeyAmount>();
        await using (var upsert = new NpgsqlCommand("""
            INSERT INTO alerts.spend (organization_id, month, scope, scope_id, group_id, spend_usd, request_count, updated_at)
            SELECT @organization_id, @month, k.scope, k.scope_id, k.group_id, @cost, 1, @now
            FROM unnest(@scopes, @scope_ids, @group_ids) WITH ORDINALITY AS k(scope, scope_id, group_id, ord)
            ORDER BY k.ord
            ON CONFLICT (organization_id, month, scope, scope_id, group_id) DO UPDATE
            SET spend_usd     = alerts.spend.spend_usd + EXCLUDED.spend_usd,
                request_count = alerts.spend.request_count + 1,
                updated_at    = EXCLUDED.updated_at
            RETURNING scope, scope_id, group_id, spend_usd
            """, connection, transaction))
        {
            upsert.Parameters.AddWithValue("organization_id", request.Caller.OrganizationId);
            upsert.Parameters.AddWithValue("month", month);
            upsert.Parameters.AddWithValue("cost", request.CostUsd);
            upsert.Parameters.AddWithValue("now", now);
            upsert.Parameters.Add(new NpgsqlParameter("scopes", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = keys.Select(k => k.Scope).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter("scope_ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = keys.Select(k => k.ScopeId).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter("group_ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = keys.Select(k => k.GroupId).ToArray() });
            await using var reader = await upsert.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                spendAfter.Add(new SpendKeyAmount(new SpendKey(reader.GetString(0), reader.GetGuid(1), reader.GetGuid(2)), reader.GetDecimal(3)));
        }

        await alerts.EvaluateAsync(connection, transaction, EvaluationRequest.From(request), spendAfter, budgets, now, cancellationToken);

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<IReadOnlyList<SpendRow>> GetAsync(
        Guid organizationId, DateOnly month, string? scope, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT scope, scope_id, group_id, spend_usd, request_count, updated_at
            FROM alerts.spend
            WHERE organization_id = @organization_id AND month = @month AND (@scope::text IS NULL OR scope = @scope::text)
            ORDER BY scope, spend_usd DESC, scope_id, group_id
            """);
        command.Parameters.AddWithValue("organization_id", organizationId);
        command.Parameters.AddWithValue("month", month);
        command.Parameters.Add(new NpgsqlParameter("scope", NpgsqlDbType.Text) { Value = (object?)scope ?? DBNull.Value });

        var rows = new List<SpendRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var groupId = reader.GetGuid(2);
            rows.Add(new SpendRow(
                organizationId, month, reader.GetString(0), reader.GetGuid(1),
                groupId == Guid.Empty ? null : groupId,
                reader.GetDecimal(3), reader.GetInt64(4), reader.GetDateTime(5)));
        }
        return rows;
    }

    private static DateTime AsUtc(DateTime at) => at.Kind switch
    {
        DateTimeKind.Utc => at,
        DateTimeKind.Local => at.ToUniversalTime(),
        _ => DateTime.SpecifyKind(at, DateTimeKind.Utc),
    };
}
