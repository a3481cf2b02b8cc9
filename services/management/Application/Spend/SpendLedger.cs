using Npgsql;
using Requesty.Contracts.Events;

namespace Requesty.Management.Application.Spend;

/// <summary>
/// Spend per API key and calendar month (UTC), fed by RequestCompleted. Idempotent on RequestId:
/// the processed_requests row and the spend are written in one transaction, and a redelivery only
/// bumps the delivery counter. This is what monthly limits are enforced against.
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
            await using var spend = new NpgsqlCommand("""
                INSERT INTO management.api_key_monthly_spend (api_key_id, month, organization_id, spend_usd, request_count, updated_at)
                VALUES (@key, @month, @org, @cost, 1, now())
                ON CONFLICT (api_key_id, month) DO UPDATE SET
                    spend_usd = management.api_key_monthly_spend.spend_usd + EXCLUDED.spend_usd,
                    request_count = management.api_key_monthly_spend.request_count + 1,
                    updated_at = now()
                """, connection, transaction);
            spend.Parameters.AddWithValue("key", request.Caller.ApiKeyId);
            spend.Parameters.AddWithValue("month", MonthOf(request.CompletedAt));
            spend.Parameters.AddWithValue("org", request.Caller.OrganizationId);
            spend.Parameters.AddWithValue("cost", request.CostUsd);
            await spend.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return deliveries == 1;
    }

    public async Task<decimal> MonthSpendAsync(Guid apiKeyId, DateTime anyInstantOfMonthUtc, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT coalesce(sum(spend_usd), 0) FROM management.api_key_monthly_spend WHERE api_key_id = @key AND month = @month");
        command.Parameters.AddWithValue("key", apiKeyId);
        command.Parameters.AddWithValue("month", MonthOf(anyInstantOfMonthUtc));
        return (decimal)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<decimal> OrganizationMonthSpendAsync(Guid organizationId, DateTime anyInstantOfMonthUtc, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT coalesce(sum(spend_usd), 0) FROM management.api_key_monthly_spend WHERE organization_id = @org AND month = @month");
        command.Parameters.AddWithValue("org", organizationId);
        command.Parameters.AddWithValue("month", MonthOf(anyInstantOfMonthUtc));
        return (decimal)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>First day of the UTC month; timestamps without a kind are taken as UTC (the contract says UTC).</summary>
    public static DateOnly MonthOf(DateTime instant)
    {
        var utc = instant.Kind == DateTimeKind.Local ? instant.ToUniversalTime() : instant;
        return new DateOnly(utc.Year, utc.Month, 1);
    }
}
