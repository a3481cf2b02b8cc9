using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Requesty.Alerts.Application;
using Requesty.Alerts.Application.Alerts;
using Requesty.Alerts.Application.Budgets;

namespace Requesty.Alerts.Infrastructure;

/// <summary>
/// Runs inside the spend transaction of one request (or of a deferred evaluation): evaluates the
/// organization's rules against management's budgets and balance and, for each threshold newly
/// crossed, writes the unique ledger row (alerts.fired) and the pending delivery (alerts.deliveries).
/// Redelivery never gets here (the request id is claimed first), concurrent consumers meet at the
/// ledger's primary key. When management cannot be asked, the evaluation is stored in
/// alerts.pending_evaluations (same transaction) and retried by PendingEvaluationWorker.
/// </summary>
public sealed class AlertLedger(
    NpgsqlDataSource dataSource, OrgBudgetsProvider budgetsProvider, PendingEvaluationStore pending, ILogger<AlertLedger> logger)
{
    public const string PendingStatus = "pending";

    /// <summary>
    /// Fetches the budgets an evaluation will need before its transaction opens (no row locks are held
    /// while management is asked); only for organizations with rules.
    /// </summary>
    public async Task<BudgetsLookup> PrefetchAsync(Guid org, CancellationToken cancellationToken)
    {
        if (!await AlertRuleQueries.AnyAsync(dataSource, org, cancellationToken)) return BudgetsLookup.NotFetched;
        try
        {
            return BudgetsLookup.Of(await budgetsProvider.GetAsync(org, cancellationToken));
        }
        catch (ManagementUnavailableException e)
        {
            logger.LogWarning("Budgets of organization {Org} unavailable, the evaluation is deferred: {Error}", org, e.Message);
            return BudgetsLookup.Unavailable(e.Message);
        }
    }

    /// <returns>How many alerts fired; null when the evaluation was deferred.</returns>
    public async Task<int?> EvaluateAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, EvaluationRequest request,
        IReadOnlyList<SpendKeyAmount> spendAfter, BudgetsLookup lookup, DateTime now, CancellationToken cancellationToken)
    {
        var org = request.Caller.OrganizationId;
        var rules = await AlertRuleQueries.ListAsync(connection, transaction, org, cancellationToken);
        if (rules.Count == 0) return 0;

        var budgets = lookup.Budgets;
        if (budgets is null && lookup.UnavailableReason is null)
        {
            // A rule was created after the prefetch found none: rare, so asking inside the transaction is fine.
            try
            {
                budgets = await budgetsProvider.GetAsync(org, cancellationToken);
            }
            catch (ManagementUnavailableException e)
            {
                lookup = BudgetsLookup.Unavailable(e.Message);
            }
        }
        if (budgets is null)
        {
            await pending.DeferAsync(connection, transaction, request, lookup.UnavailableReason ?? "budgets unavailable", now, cancellationToken);
            return null;
        }

        var input = new EvaluationInput(
            org, SpendMonth.Of(request.CompletedAt), request.Caller.UserId, rules, spendAfter,
            request.Caller.UserId is { } userId ? budgets.ProfileOf(userId) : null,
            budgets.GroupProfiles(request.Caller.GroupIds),
            budgets.AlertBalance);

        await RearmBalanceRulesAsync(connection, transaction, rules, budgets, cancellationToken);

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

    /// <summary>
    /// A balance at or above a rule's threshold (a top-up) re-arms the rule. Only a balance fetched after
    /// the alert fired may re-arm it, so a cached balance from before the crossing cannot fire it twice.
    /// </summary>
    private static async Task RearmBalanceRulesAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<AlertRule> rules, OrgBudgets budgets, CancellationToken ct)
    {
        if (budgets.AlertBalance is not { } balance) return;
        var rearm = rules.Where(r => r.Type == AlertTypes.OrgBalanceBelow && balance >= r.Threshold).Select(r => r.Id).ToArray();
        if (rearm.Length == 0) return;
        await using var command = new NpgsqlCommand("""
            DELETE FROM alerts.fired WHERE rule_id = ANY(@rules) AND period = @period AND fired_at < @fetched_at
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter("rules", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = rearm });
        command.Parameters.AddWithValue("period", AlertEvaluator.BalancePeriod);
        command.Parameters.AddWithValue("fetched_at", budgets.FetchedAt);
        await command.ExecuteNonQueryAsync(ct);
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
