using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Requesty.Alerts.Application;
using Requesty.Alerts.Application.Alerts;
using Requesty.Contracts.Events;

namespace Requesty.Alerts.Infrastructure;

/// <summary>A deferred evaluation, leased by the worker.</summary>
public sealed record PendingEvaluation(EvaluationRequest Request, int Attempts);

/// <summary>
/// alerts.pending_evaluations: evaluations that could not run because management's budgets were
/// unavailable. The spend was recorded; only the threshold check waits.
/// </summary>
public sealed class PendingEvaluationStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task DeferAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, EvaluationRequest request, string reason, DateTime now, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO alerts.pending_evaluations (request_id, organization_id, caller, completed_at, attempts, next_attempt_at, last_error, created_at)
            VALUES (@request, @org, @caller, @completed_at, 0, @now, @reason, @now)
            ON CONFLICT (request_id) DO NOTHING
            """, connection, transaction);
        command.Parameters.AddWithValue("request", request.RequestId);
        command.Parameters.AddWithValue("org", request.Caller.OrganizationId);
        command.Parameters.Add(new NpgsqlParameter("caller", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(request.Caller, Json) });
        command.Parameters.AddWithValue("completed_at", DateTime.SpecifyKind(request.CompletedAt.ToUniversalTime(), DateTimeKind.Utc));
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("reason", reason);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Locks due evaluations for the transaction (SKIP LOCKED: instances share the table).</summary>
    public async Task<IReadOnlyList<PendingEvaluation>> LockDueAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, int limit, DateTime now, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            SELECT request_id, caller::text, completed_at, attempts FROM alerts.pending_evaluations
            WHERE next_attempt_at <= @now ORDER BY next_attempt_at LIMIT @limit FOR UPDATE SKIP LOCKED
            """, connection, transaction);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("limit", limit);
        var due = new List<PendingEvaluation>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var caller = JsonSerializer.Deserialize<RequestCaller>(reader.GetString(1), Json)!;
            due.Add(new PendingEvaluation(new EvaluationRequest(reader.GetGuid(0), caller, reader.GetDateTime(2)), reader.GetInt32(3)));
        }
        return due;
    }

    public async Task CompleteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid requestId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("DELETE FROM alerts.pending_evaluations WHERE request_id = @request", connection, transaction);
        command.Parameters.AddWithValue("request", requestId);
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task PostponeAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid requestId, DateTime nextAttemptAt, string error, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            UPDATE alerts.pending_evaluations SET attempts = attempts + 1, next_attempt_at = @next, last_error = @error
            WHERE request_id = @request
            """, connection, transaction);
        command.Parameters.AddWithValue("request", requestId);
        command.Parameters.AddWithValue("next", nextAttemptAt);
        command.Parameters.AddWithValue("error", error);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The organization's current spend on the rows the request contributed to (for a deferred evaluation).</summary>
    public static async Task<IReadOnlyList<SpendKeyAmount>> CurrentSpendAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, EvaluationRequest request, CancellationToken ct)
    {
        var keys = SpendAttribution.KeysFor(request.Caller);
        await using var command = new NpgsqlCommand("""
            SELECT s.scope, s.scope_id, s.group_id, s.spend_usd
            FROM unnest(@scopes, @scope_ids, @group_ids) WITH ORDINALITY AS k(scope, scope_id, group_id, ord)
            JOIN alerts.spend s ON s.organization_id = @org AND s.month = @month
                AND s.scope = k.scope AND s.scope_id = k.scope_id AND s.group_id = k.group_id
            ORDER BY k.ord
            """, connection, transaction);
        command.Parameters.AddWithValue("org", request.Caller.OrganizationId);
        command.Parameters.AddWithValue("month", SpendMonth.Of(request.CompletedAt));
        command.Parameters.Add(new NpgsqlParameter("scopes", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = keys.Select(k => k.Scope).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("scope_ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = keys.Select(k => k.ScopeId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("group_ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = keys.Select(k => k.GroupId).ToArray() });
        var spend = new List<SpendKeyAmount>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            spend.Add(new SpendKeyAmount(new SpendKey(reader.GetString(0), reader.GetGuid(1), reader.GetGuid(2)), reader.GetDecimal(3)));
        return spend;
    }

    public static async Task<long> CountAsync(NpgsqlDataSource dataSource, Guid org, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM alerts.pending_evaluations WHERE organization_id = @org");
        command.Parameters.AddWithValue("org", org);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }
}
