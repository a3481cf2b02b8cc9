using Npgsql;

namespace Requesty.Management.Infrastructure.ReadModels;

/// <summary>Queries over management.organizations.</summary>
public sealed class OrganizationReadModel(NpgsqlDataSource dataSource)
{
    public async Task<OrganizationRow?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT id, name, created_at, version, default_model, default_user_monthly_limit, billing_mode, credits_usd
            FROM management.organizations WHERE id = @id
            """);
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return new OrganizationRow(
            reader.GetGuid(0),
            reader.GetString(1),
            reader.GetFieldValue<DateTime>(2),
            reader.GetInt64(3),
            reader.IsDBNull(4) ? null : reader.GetString(4),
            reader.IsDBNull(5) ? null : reader.GetDecimal(5),
            reader.GetString(6),
            reader.GetDecimal(7));
    }
}
