using Npgsql;
using NpgsqlTypes;
using Requesty.McpGateway.Security;

namespace Requesty.McpGateway.UserKeys;

/// <summary>A user's own credentials for one server: header values that replace the organization's, and template variables.</summary>
public sealed record UserKeyValues(Dictionary<string, string> Headers, Dictionary<string, string> Variables);

/// <summary>What may be shown about a user's credentials: names and time, never values.</summary>
public sealed record UserKeyRecord(
    Guid ServerId, Guid UserId, IReadOnlyList<string> HeaderNames, IReadOnlyList<string> VariableNames, DateTime UpdatedAt, string? Rejection = null);

/// <summary>mcp.user_keys; values sealed with AES-256-GCM bound to (server id, user id).</summary>
public sealed class UserKeyStore(NpgsqlDataSource dataSource, HeaderCipher cipher, TimeProvider clock)
{
    public async Task<UserKeyRecord> UpsertAsync(Guid organizationId, Guid serverId, Guid userId, UserKeyValues values, CancellationToken cancellationToken)
    {
        var sealedValues = cipher.SealJson(values, AssociatedData(serverId, userId));
        var now = clock.GetUtcNow().UtcDateTime;
        await using var command = dataSource.CreateCommand("""
            INSERT INTO mcp.user_keys (server_id, user_id, organization_id, header_names, variable_names, key_id, ciphertext, updated_at)
            VALUES (@server, @user, @org, @header_names, @variable_names, @key_id, @ciphertext, @now)
            ON CONFLICT (server_id, user_id) DO UPDATE SET header_names = excluded.header_names, variable_names = excluded.variable_names,
                key_id = excluded.key_id, ciphertext = excluded.ciphertext, updated_at = excluded.updated_at, rejection = NULL
            """);
        command.Parameters.AddWithValue("server", serverId);
        command.Parameters.AddWithValue("user", userId);
        command.Parameters.AddWithValue("org", organizationId);
        command.Parameters.Add(new NpgsqlParameter("header_names", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = values.Headers.Keys.Order().ToArray() });
        command.Parameters.Add(new NpgsqlParameter("variable_names", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = values.Variables.Keys.Order().ToArray() });
        command.Parameters.AddWithValue("key_id", sealedValues.KeyId);
        command.Parameters.AddWithValue("ciphertext", sealedValues.Ciphertext);
        command.Parameters.AddWithValue("now", now);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return new UserKeyRecord(serverId, userId, values.Headers.Keys.Order().ToList(), values.Variables.Keys.Order().ToList(), now);
    }

    public async Task<IReadOnlyList<UserKeyRecord>> ListAsync(Guid serverId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT server_id, user_id, header_names, variable_names, updated_at, rejection FROM mcp.user_keys WHERE server_id = @server ORDER BY user_id");
        command.Parameters.AddWithValue("server", serverId);
        var records = new List<UserKeyRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(new UserKeyRecord(reader.GetGuid(0), reader.GetGuid(1), reader.GetFieldValue<string[]>(2), reader.GetFieldValue<string[]>(3),
                DateTime.SpecifyKind(reader.GetDateTime(4), DateTimeKind.Utc), reader.IsDBNull(5) ? null : reader.GetString(5)));
        }
        return records;
    }

    /// <summary>The user's plaintext values (for the upstream connection only) and when they changed; null when none are stored.</summary>
    public async Task<(UserKeyValues Values, DateTime UpdatedAt)?> OpenAsync(Guid serverId, Guid userId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT key_id, ciphertext, updated_at FROM mcp.user_keys WHERE server_id = @server AND user_id = @user");
        command.Parameters.AddWithValue("server", serverId);
        command.Parameters.AddWithValue("user", userId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        var values = cipher.OpenJson<UserKeyValues>(new SealedHeaders(reader.GetString(0), reader.GetFieldValue<byte[]>(1)), AssociatedData(serverId, userId));
        return values is null ? null : (values, DateTime.SpecifyKind(reader.GetDateTime(2), DateTimeKind.Utc));
    }

    public async Task MarkRejectedAsync(Guid serverId, Guid userId, string rejection, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("UPDATE mcp.user_keys SET rejection = @rejection WHERE server_id = @server AND user_id = @user");
        command.Parameters.AddWithValue("server", serverId);
        command.Parameters.AddWithValue("user", userId);
        command.Parameters.AddWithValue("rejection", rejection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> DeleteAsync(Guid serverId, Guid userId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM mcp.user_keys WHERE server_id = @server AND user_id = @user");
        command.Parameters.AddWithValue("server", serverId);
        command.Parameters.AddWithValue("user", userId);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    private static byte[] AssociatedData(Guid serverId, Guid userId) => [.. serverId.ToByteArray(), .. userId.ToByteArray()];
}
