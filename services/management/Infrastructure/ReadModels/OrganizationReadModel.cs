using Npgsql;

namespace Requesty.Management.Infrastructure.ReadModels;

/// <summary>Queries over management.organizations.</summary>
public sealed class OrganizationReadModel(NpgsqlDataSource dataSource)
{
    public async Task<OrganizationRow?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT id, name, created_at, version FROM management.organizations WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new OrganizationRow(reader.GetGuid(0), reader.GetString(1), reader.GetFieldValue<DateTime>(2), reader.GetInt64(3))
            : null;
    }
}
