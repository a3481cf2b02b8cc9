using Npgsql;
using Requesty.Alerts.Application.Alerts;

namespace Requesty.Alerts.Infrastructure;

/// <summary>Alert rules per organization (alerts.rules).</summary>
public sealed class AlertRuleStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public async Task<IReadOnlyList<AlertRule>> ListAsync(Guid org, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await AlertRuleQueries.ListAsync(connection, null, org, ct);
    }

    /// <returns>The new rule, or null when the organization already has this type and threshold.</returns>
    public async Task<AlertRule?> CreateAsync(Guid org, string type, decimal threshold, CancellationToken ct)
    {
        var rule = new AlertRule(Guid.CreateVersion7(), org, type, Money.Normalize(threshold), clock.GetUtcNow().UtcDateTime);
        await using var command = dataSource.CreateCommand("""
            INSERT INTO alerts.rules (id, organization_id, type, threshold, created_at)
            VALUES (@id, @org, @type, @threshold, @now)
            ON CONFLICT (organization_id, type, threshold) DO NOTHING
            """);
        command.Parameters.AddWithValue("id", rule.Id);
        command.Parameters.AddWithValue("org", org);
        command.Parameters.AddWithValue("type", type);
        command.Parameters.AddWithValue("threshold", rule.Threshold);
        command.Parameters.AddWithValue("now", rule.CreatedAt);
        return await command.ExecuteNonQueryAsync(ct) == 1 ? rule : null;
    }

    public async Task<bool> DeleteAsync(Guid org, Guid id, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM alerts.rules WHERE organization_id = @org AND id = @id");
        command.Parameters.AddWithValue("org", org);
        command.Parameters.AddWithValue("id", id);
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }
}
