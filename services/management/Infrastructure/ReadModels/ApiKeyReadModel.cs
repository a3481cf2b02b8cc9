using System.Text.Json;
using Npgsql;

namespace Requesty.Management.Infrastructure.ReadModels;

/// <summary>Queries over management.api_keys (role and group ids joined from the key's user).</summary>
public sealed class ApiKeyReadModel(NpgsqlDataSource dataSource)
{
    // A key with a user acts with that user's role (a missing user: least privilege); other keys act as admin.
    private const string Select = """
        SELECT k.id, k.organization_id, k.name, k.key_hash, k.prefix, k.permissions, k.monthly_limit, k.labels, k.expires_at,
            k.project_id, k.service_account_id, k.user_id, k.created_by, k.created_at, k.updated_at, k.deleted_at, k.version,
            CASE WHEN k.user_id IS NULL THEN 'admin' ELSE coalesce(u.role, 'member') END,
            coalesce((SELECT array_agg(gm.group_id ORDER BY gm.group_id) FROM management.group_members gm
                      WHERE k.user_id IS NOT NULL AND gm.user_id = k.user_id), '{}'::uuid[]),
            o.default_model
        FROM management.api_keys k
        LEFT JOIN management.users u ON u.id = k.user_id AND u.deleted_at IS NULL
        LEFT JOIN management.organizations o ON o.id = k.organization_id
        """;

    /// <summary>Includes deleted keys (callers decide); null when the hash is unknown.</summary>
    public async Task<ApiKeyRow?> FindByHashAsync(string keyHash, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"{Select} WHERE k.key_hash = @hash");
        command.Parameters.AddWithValue("hash", keyHash);
        return (await ReadAsync(command, cancellationToken)).SingleOrDefault();
    }

    /// <summary>A live (not deleted) key of the organisation, or null.</summary>
    public async Task<ApiKeyRow?> FindAsync(Guid organizationId, Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"{Select} WHERE k.id = @id AND k.organization_id = @org AND k.deleted_at IS NULL");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("org", organizationId);
        return (await ReadAsync(command, cancellationToken)).SingleOrDefault();
    }

    /// <summary>Live keys of the organisation; only those of <paramref name="userId"/> when given (a member's view).</summary>
    public async Task<IReadOnlyList<ApiKeyRow>> ListAsync(Guid organizationId, CancellationToken cancellationToken, Guid? userId = null)
    {
        await using var command = dataSource.CreateCommand(
            $"{Select} WHERE k.organization_id = @org AND k.deleted_at IS NULL AND (@user::uuid IS NULL OR k.user_id = @user) ORDER BY k.created_at, k.id");
        command.Parameters.AddWithValue("org", organizationId);
        command.Parameters.Add(new NpgsqlParameter("user", NpgsqlTypes.NpgsqlDbType.Uuid) { Value = (object?)userId ?? DBNull.Value });
        return await ReadAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<ApiKeyRow>> ListLiveAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"{Select} WHERE k.deleted_at IS NULL");
        return await ReadAsync(command, cancellationToken);
    }

    /// <summary>Every live key of the organisation (to republish them when an organisation setting they carry changes).</summary>
    public async Task<IReadOnlyList<(Guid Id, long Version)>> ListLiveKeyVersionsOfOrganizationAsync(Guid organizationId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT id, version FROM management.api_keys WHERE organization_id = @org AND deleted_at IS NULL ORDER BY id");
        command.Parameters.AddWithValue("org", organizationId);
        var keys = new List<(Guid, long)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) keys.Add((reader.GetGuid(0), reader.GetInt64(1)));
        return keys;
    }

    /// <summary>Live keys that belong to the user, the service account or the project (for delete checks and republishing).</summary>
    public async Task<IReadOnlyList<(Guid Id, long Version)>> ListLiveKeyVersionsAsync(
        Guid organizationId, CancellationToken cancellationToken, Guid? userId = null, Guid? serviceAccountId = null, Guid? projectId = null)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT id, version FROM management.api_keys
            WHERE organization_id = @org AND deleted_at IS NULL
              AND (user_id = @user OR service_account_id = @service_account OR project_id = @project)
            ORDER BY id
            """);
        command.Parameters.AddWithValue("org", organizationId);
        command.Parameters.Add(new NpgsqlParameter("user", NpgsqlTypes.NpgsqlDbType.Uuid) { Value = (object?)userId ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("service_account", NpgsqlTypes.NpgsqlDbType.Uuid) { Value = (object?)serviceAccountId ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("project", NpgsqlTypes.NpgsqlDbType.Uuid) { Value = (object?)projectId ?? DBNull.Value });
        var keys = new List<(Guid, long)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) keys.Add((reader.GetGuid(0), reader.GetInt64(1)));
        return keys;
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
                reader.GetInt64(16))
            {
                Role = reader.GetString(17),
                GroupIds = reader.GetFieldValue<Guid[]>(18),
                DefaultModel = reader.IsDBNull(19) ? null : reader.GetString(19),
            });
        }
        return rows;
    }
}
