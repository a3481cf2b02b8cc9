using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Requesty.Alerts.Application;
using Requesty.Alerts.Application.Alerts;
using Requesty.Contracts.Events;

namespace Requesty.Alerts.Infrastructure;

/// <summary>
/// Runs inside the spend transaction of one request: lowers the organization balance, evaluates the
/// organization's rules and, for each threshold newly crossed, writes the unique ledger row
/// (alerts.fired) and the pending delivery (alerts.deliveries). Redelivery never gets here (the
/// request id is claimed first), concurrent consumers meet at the ledger's primary key.
/// </summary>
public sealed class AlertLedger(ILogger<AlertLedger> logger)
{
    public const string PendingStatus = "pending";

    /// <returns>How many alerts fired.</returns>
    public async Task<int> EvaluateAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, RequestCompleted request,
        IReadOnlyList<SpendKeyAmount> spendAfter, DateTime now, CancellationToken cancellationToken)
    {
        var org = request.Caller.OrganizationId;
        var balance = await DebitBalanceAsync(connection, transaction, org, request.CostUsd, now, cancellationToken);
        var rules = await AlertRuleQueries.ListAsync(connection, transaction, org, cancellationToken);
        if (rules.Count == 0) return 0;

        var input = new EvaluationInput(
            org, SpendMonth.Of(request.CompletedAt), request.Caller.UserId, rules, spendAfter,
            request.Caller.UserId is { } userId ? await LoadUserAsync(connection, transaction, org, userId, cancellationToken) : null,
            await LoadGroupsAsync(connection, transaction, org, request.Caller.GroupIds, cancellationToken),
            balance);

        var fired = 0;
        bool? hasWebhook = null;
        foreach (var candidate in AlertEvaluator.Evaluate(input))
        {
            if (!await ClaimAsync(connection, transaction, org, candidate, request.RequestId, now, cancellationToken)) continue;
            fired++;
            hasWebhook ??= await HasWebhookAsync(connection, transaction, org, cancellationToken);
            if (hasWebhook == true)
                await EnqueueAsync(connection, transaction, org, candidate, now, cancellationToken);
            else
                logger.LogInformation("Alert {Type} fired for organization {Org} without a webhook; nothing to deliver", candidate.Type, org);
        }
        return fired;
    }

    private static async Task<decimal?> DebitBalanceAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid org, decimal cost, DateTime now, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            UPDATE alerts.org_balances SET balance_usd = balance_usd - @cost, updated_at = @now
            WHERE organization_id = @org RETURNING balance_usd
            """, connection, transaction);
        command.Parameters.AddWithValue("org", org);
        command.Parameters.AddWithValue("cost", cost);
        command.Parameters.AddWithValue("now", now);
        return await command.ExecuteScalarAsync(ct) is decimal balance ? balance : null;
    }

    private static async Task<UserProfile?> LoadUserAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid org, Guid userId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "SELECT email, monthly_budget_usd FROM alerts.users WHERE organization_id = @org AND user_id = @user", connection, transaction);
        command.Parameters.AddWithValue("org", org);
        command.Parameters.AddWithValue("user", userId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new UserProfile(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetDecimal(1))
            : null;
    }

    private static async Task<IReadOnlyDictionary<Guid, GroupProfile>> LoadGroupsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid org, IReadOnlyList<Guid> groupIds, CancellationToken ct)
    {
        var groups = new Dictionary<Guid, GroupProfile>();
        if (groupIds.Count == 0) return groups;
        await using var command = new NpgsqlCommand("""
            SELECT group_id, name, monthly_budget_usd, member_monthly_budget_usd, admin_emails
            FROM alerts.groups WHERE organization_id = @org AND group_id = ANY(@groups)
            """, connection, transaction);
        command.Parameters.AddWithValue("org", org);
        command.Parameters.Add(new NpgsqlParameter("groups", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = groupIds.ToArray() });
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            groups[reader.GetGuid(0)] = new GroupProfile(
                reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetDecimal(2),
                reader.IsDBNull(3) ? null : reader.GetDecimal(3),
                reader.GetFieldValue<string[]>(4));
        }
        return groups;
    }

    private static async Task<bool> ClaimAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid org, AlertCandidate candidate, Guid requestId, DateTime now, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO alerts.fired (rule_id, organization_id, subject_scope, subject_id, group_id, period, request_id, fired_at)
            VALUES (@rule, @org, @scope, @subject, @group, @period, @request, @now)
            ON CONFLICT DO NOTHING
            """, connection, transaction);
        command.Parameters.AddWithValue("rule", candidate.RuleId);
        command.Parameters.AddWithValue("org", org);
        command.Parameters.AddWithValue("scope", candidate.SubjectScope);
        command.Parameters.AddWithValue("subject", candidate.SubjectId);
        command.Parameters.AddWithValue("group", candidate.GroupId);
        command.Parameters.AddWithValue("period", candidate.Period);
        command.Parameters.AddWithValue("request", requestId);
        command.Parameters.AddWithValue("now", now);
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    private static async Task<bool> HasWebhookAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid org, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT 1 FROM alerts.webhooks WHERE organization_id = @org", connection, transaction);
        command.Parameters.AddWithValue("org", org);
        return await command.ExecuteScalarAsync(ct) is not null;
    }

    private static async Task EnqueueAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid org, AlertCandidate candidate, DateTime now, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO alerts.deliveries (id, organization_id, rule_id, alert_type, payload, status, attempts, next_attempt_at, created_at)
            VALUES (@id, @org, @rule, @type, @payload, 'pending', 0, @now, @now)
            """, connection, transaction);
        command.Parameters.AddWithValue("id", Guid.CreateVersion7());
        command.Parameters.AddWithValue("org", org);
        command.Parameters.AddWithValue("rule", candidate.RuleId);
        command.Parameters.AddWithValue("type", candidate.Type);
        command.Parameters.Add(new NpgsqlParameter("payload", NpgsqlDbType.Json) { Value = candidate.Payload.ToJsonString() });
        command.Parameters.AddWithValue("now", now);
        await command.ExecuteNonQueryAsync(ct);
    }
}
