using Npgsql;
using NpgsqlTypes;
using Requesty.Contracts.Events;
using Requesty.Contracts.Management;

namespace Requesty.Management.Application.Spend;

/// <summary>
/// Spend per scope (API key, user, project, each group, organisation) and calendar month (UTC), fed by
/// RequestCompleted. Idempotent on RequestId: the processed_requests row and every scope's spend are
/// written in one transaction, and a redelivery only bumps the delivery counter. This is what monthly
/// limits are enforced against; the organisation's rows summed over all months give its lifetime spend.
/// </summary>
public sealed class SpendLedger(NpgsqlDataSource dataSource)
{
    /// <summary>Returns false when the request was already counted (a redelivery).</summary>
    public async Task<bool> RecordAsync(RequestCompleted request, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        int deliveries;
        await using (var processed = new NpgsqlCommand("""
            INSERT INTO management.processed_requests (request_id, deliveries, processed_at) VALUES (@id, 1, now())
            ON CONFLICT (request_id) DO UPDATE SET deliveries = management.processed_requests.deliveries + 1
            RETURNING deliveries
            """, connection, transaction))
        {
            processed.Parameters.AddWithValue("id", request.RequestId);
            deliveries = (int)(await processed.ExecuteScalarAsync(cancellationToken))!;
        }

        if (deliveries == 1)
        {
            var scopes = SpendScope.Of(request.Caller);
            await using var spend = new NpgsqlCommand("""
                INSERT INTO management.monthly_spend AS s (scope, scope_id, month, organization_id, spend_usd, request_count, updated_at)
                SELECT t.scope, t.scope_id, @month, @org, @cost, 1, now()
                FROM unnest(@scopes, @ids) WITH ORDINALITY AS t(scope, scope_id, n) ORDER BY t.n
                ON CONFLICT (scope, scope_id, month) DO UPDATE SET
                    spend_usd = s.spend_usd + EXCLUDED.spend_usd,
                    request_count = s.request_count + 1,
                    updated_at = now()
                """, connection, transaction);
            spend.Parameters.Add(new NpgsqlParameter("scopes", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = scopes.Select(s => s.Scope).ToArray() });
            spend.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = scopes.Select(s => s.ScopeId).ToArray() });
            spend.Parameters.AddWithValue("month", MonthOf(request.CompletedAt));
            spend.Parameters.AddWithValue("org", request.Caller.OrganizationId);
            spend.Parameters.AddWithValue("cost", request.CostUsd);
            await spend.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return deliveries == 1;
    }

    public Task<decimal> MonthSpendAsync(Guid apiKeyId, DateTime anyInstantOfMonthUtc, CancellationToken cancellationToken) =>
        ScopeMonthSpendAsync(new SpendScope(SpendScopes.ApiKey, apiKeyId), anyInstantOfMonthUtc, cancellationToken);

    public Task<decimal> OrganizationMonthSpendAsync(Guid organizationId, DateTime anyInstantOfMonthUtc, CancellationToken cancellationToken) =>
        ScopeMonthSpendAsync(new SpendScope(SpendScopes.Organization, organizationId), anyInstantOfMonthUtc, cancellationToken);

    public async Task<decimal> ScopeMonthSpendAsync(SpendScope scope, DateTime anyInstantOfMonthUtc, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT coalesce(sum(spend_usd), 0) FROM management.monthly_spend WHERE scope = @scope AND scope_id = @id AND month = @month");
        command.Parameters.AddWithValue("scope", scope.Scope);
        command.Parameters.AddWithValue("id", scope.ScopeId);
        command.Parameters.AddWithValue("month", MonthOf(anyInstantOfMonthUtc));
        return (decimal)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Everything the organisation ever spent (what its prepaid balance is reduced by).</summary>
    public async Task<decimal> OrganizationLifetimeSpendAsync(Guid organizationId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT coalesce(sum(spend_usd), 0) FROM management.monthly_spend WHERE scope = 'organization' AND scope_id = @org");
        command.Parameters.AddWithValue("org", organizationId);
        return (decimal)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>First day of the UTC month; timestamps without a kind are taken as UTC (the contract says UTC).</summary>
    public static DateOnly MonthOf(DateTime instant) => DateOnly.FromDateTime(SpendScope.MonthStart(instant));
}
