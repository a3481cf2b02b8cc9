using Npgsql;
using NpgsqlTypes;
using Requesty.Alerts.Application.Alerts;

namespace Requesty.Alerts.Infrastructure;

/// <summary>
/// User and group budgets, names and the organization balance the alerts need. Stop-gap until the
/// management service owns them (then these tables are fed from its events).
/// </summary>
public sealed class BudgetStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public async Task PutUserAsync(Guid org, Guid userId, UserProfile user, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO alerts.users (organization_id, user_id, email, monthly_budget_usd, updated_at)
            VALUES (@org, @user, @email, @budget, @now)
            ON CONFLICT (organization_id, user_id) DO UPDATE
            SET email = EXCLUDED.email, monthly_budget_usd = EXCLUDED.monthly_budget_usd, updated_at = EXCLUDED.updated_at
            """);
        command.Parameters.AddWithValue("org", org);
        command.Parameters.AddWithValue("user", userId);
        command.Parameters.AddWithValue("email", user.Email);
        command.Parameters.Add(Amount("budget", user.MonthlyBudgetUsd));
        command.Parameters.AddWithValue("now", clock.GetUtcNow().UtcDateTime);
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task PutGroupAsync(Guid org, Guid groupId, GroupProfile group, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO alerts.groups (organization_id, group_id, name, monthly_budget_usd, member_monthly_budget_usd, admin_emails, updated_at)
            VALUES (@org, @group, @name, @budget, @member_budget, @admins, @now)
            ON CONFLICT (organization_id, group_id) DO UPDATE
            SET name = EXCLUDED.name, monthly_budget_usd = EXCLUDED.monthly_budget_usd,
                member_monthly_budget_usd = EXCLUDED.member_monthly_budget_usd,
                admin_emails = EXCLUDED.admin_emails, updated_at = EXCLUDED.updated_at
            """);
        command.Parameters.AddWithValue("org", org);
        command.Parameters.AddWithValue("group", groupId);
        command.Parameters.AddWithValue("name", group.Name);
        command.Parameters.Add(Amount("budget", group.MonthlyBudgetUsd));
        command.Parameters.Add(Amount("member_budget", group.MemberMonthlyBudgetUsd));
        command.Parameters.Add(new NpgsqlParameter("admins", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = group.AdminEmails.ToArray() });
        command.Parameters.AddWithValue("now", clock.GetUtcNow().UtcDateTime);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Sets the balance (a top-up or a correction). Balance alerts whose threshold the new balance is
    /// above are re-armed in the same transaction.
    /// </summary>
    public async Task SetBalanceAsync(Guid org, decimal balance, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var set = new NpgsqlCommand("""
            INSERT INTO alerts.org_balances (organization_id, balance_usd, updated_at) VALUES (@org, @balance, @now)
            ON CONFLICT (organization_id) DO UPDATE SET balance_usd = EXCLUDED.balance_usd, updated_at = EXCLUDED.updated_at
            """, connection, transaction))
        {
            set.Parameters.AddWithValue("org", org);
            set.Parameters.AddWithValue("balance", balance);
            set.Parameters.AddWithValue("now", clock.GetUtcNow().UtcDateTime);
            await set.ExecuteNonQueryAsync(ct);
        }
        await using (var rearm = new NpgsqlCommand("""
            DELETE FROM alerts.fired f USING alerts.rules r
            WHERE f.rule_id = r.id AND r.organization_id = @org AND r.type = @type AND f.period = @period AND r.threshold < @balance
            """, connection, transaction))
        {
            rearm.Parameters.AddWithValue("org", org);
            rearm.Parameters.AddWithValue("type", AlertTypes.OrgBalanceBelow);
            rearm.Parameters.AddWithValue("period", AlertEvaluator.BalancePeriod);
            rearm.Parameters.AddWithValue("balance", balance);
            await rearm.ExecuteNonQueryAsync(ct);
        }
        await transaction.CommitAsync(ct);
    }

    public async Task<decimal?> GetBalanceAsync(Guid org, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("SELECT balance_usd FROM alerts.org_balances WHERE organization_id = @org");
        command.Parameters.AddWithValue("org", org);
        return await command.ExecuteScalarAsync(ct) is decimal balance ? Money.Normalize(balance) : null;
    }

    private static NpgsqlParameter Amount(string name, decimal? value) =>
        new(name, NpgsqlDbType.Numeric) { Value = (object?)value ?? DBNull.Value };
}
