using System.Text.Json;
using Npgsql;

namespace Requesty.Management.Infrastructure.ReadModels;

/// <summary>Queries over management.api_keys.</summary>
public sealed class ApiKeyReadModel(NpgsqlDataSource dataSource)
{
    private const string Columns = """
        id, organization_id, name, key_hash, prefix, permissions, monthly_limit, labels, expires_at,
        project_id, service_account_id, user_id, created_by, created_at, updated_at, deleted_at, version
        """;

    /// <summary>Includes deleted keys (callers decide); null when the hash is unknown.</summary>
    public async Task<ApiKeyRow?> FindByHashAsync(string keyHash, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM management.api_keys WHERE key_hash = @hash");
        command.Parameters.AddWithValue("hash", keyHash);
        return (await ReadAsync(command, cancellationToken)).SingleOrDefault();
    }

    /// <summary>A live (not deleted) key of the organisation, or null.</summary>
    public async Task<ApiKeyRow?> FindAsync(Guid organizationId, Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {Columns} FROM management.api_keys WHERE id = @id AND organization_id = @org AND deleted_at IS NULL");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("org", organizationId);
        return (await ReadAsync(command, cancellationToken)).SingleOrDefault();
    }

    public async Task<IReadOnlyList<ApiKeyRow>> ListAsync(Guid organizationId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {Columns} FROM management.api_keys WHERE organization_id = @org AND deleted_at IS NULL ORDER BY created_at, id");
        command.Parameters.AddWithValue("org", organizationId);
        return await ReadAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<ApiKeyRow>> ListLiveAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM management.api_keys WHERE deleted_at IS NULL");
        return await ReadAsync(command, cancellationToken);
    }

    private static async Task<IReadOnlyList<ApiKeyRow>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<ApiKeyRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new ApiKeyRow(
                reader.GetGuid(0),
                reader.GetGuid(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetFieldValue<string[]>(5),
                reader.IsDBNull(6) ? null : reader.GetDecimal(6),
                JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(7)) ?? [],
                reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTime>(8),
                reader.IsDBNull(9) ? null : reader.GetGuid(9),
                reader.IsDBNull(10) ? null : reader.GetGuid(10),
                reader.IsDBNull(11) ? null : reader.GetGuid(11),
                reader.IsDBNull(12) ? null : reader.GetGuid(12),
                reader.GetFieldValue<DateTime>(13),
                reader.GetFieldValue<DateTime>(14),
                reader.IsDBNull(15) ? null : reader.GetFieldValue<DateTime>(15),
                reader.GetInt64(16)));
        }
        return rows;
    }
}
