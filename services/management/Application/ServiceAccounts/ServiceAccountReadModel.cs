using Npgsql;

namespace Requesty.Management.Application.ServiceAccounts;

public sealed record ServiceAccountRow(
    Guid Id, Guid OrganizationId, string Name, string? Description, int LiveKeyCount, DateTime CreatedAt, DateTime UpdatedAt, long Version);

/// <summary>Queries over management.service_accounts (live accounts only), with their live key count.</summary>
public sealed class ServiceAccountReadModel(NpgsqlDataSource dataSource)
{
    private const string Select = """
        SELECT s.id, s.organization_id, s.name, s.description,
            (SELECT count(*)::int FROM management.api_keys k WHERE k.service_account_id = s.id AND k.deleted_at IS NULL),
            s.created_at, s.updated_at, s.version
        FROM management.service_accounts s
        """;

    public async Task<IReadOnlyList<ServiceAccountRow>> ListAsync(Guid organizationId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"{Select} WHERE s.organization_id = @org AND s.deleted_at IS NULL ORDER BY s.created_at, s.id");
        command.Parameters.AddWithValue("org", organizationId);
        return await ReadAsync(command, cancellationToken);
    }

    public async Task<ServiceAccountRow?> FindAsync(Guid organizationId, Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"{Select} WHERE s.id = @id AND s.organization_id = @org AND s.deleted_at IS NULL");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("org", organizationId);
        return (await ReadAsync(command, cancellationToken)).SingleOrDefault();
    }

    private static async Task<IReadOnlyList<ServiceAccountRow>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<ServiceAccountRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            rows.Add(new ServiceAccountRow(
                reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetInt32(4), reader.GetFieldValue<DateTime>(5), reader.GetFieldValue<DateTime>(6), reader.GetInt64(7)));
        return rows;
    }
}
