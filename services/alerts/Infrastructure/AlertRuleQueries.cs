using Npgsql;
using Requesty.Alerts.Application.Alerts;

namespace Requesty.Alerts.Infrastructure;

internal static class AlertRuleQueries
{
    public static async Task<IReadOnlyList<AlertRule>> ListAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid org, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            SELECT id, type, threshold, created_at FROM alerts.rules
            WHERE organization_id = @org ORDER BY type, threshold, id
            """, connection, transaction);
        command.Parameters.AddWithValue("org", org);
        var rules = new List<AlertRule>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            rules.Add(new AlertRule(reader.GetGuid(0), org, reader.GetString(1), Money.Normalize(reader.GetDecimal(2)), reader.GetDateTime(3)));
        return rules;
    }

    public static async Task<bool> AnyAsync(NpgsqlDataSource dataSource, Guid org, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM alerts.rules WHERE organization_id = @org)");
        command.Parameters.AddWithValue("org", org);
        return await command.ExecuteScalarAsync(ct) is true;
    }
}
