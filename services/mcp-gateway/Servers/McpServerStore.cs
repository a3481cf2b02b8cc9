using Npgsql;
using NpgsqlTypes;
using Requesty.McpGateway.Security;
using Requesty.McpGateway.Upstream;

namespace Requesty.McpGateway.Servers;

public enum ServerWriteOutcome { Saved, NotFound, NameTaken }

/// <summary>mcp.servers, always scoped to one organization.</summary>
public sealed class McpServerStore(NpgsqlDataSource dataSource, HeaderCipher cipher, TimeProvider clock)
{
    private const string Columns =
        "id, organization_id, name, url, transport, enabled, allow_user_keys, header_names, headers_key_id, headers_ciphertext, enabled_tools, created_at, updated_at, template_headers, template_variables";

    public async Task<IReadOnlyList<McpServerRecord>> ListAsync(Guid organizationId, bool enabledOnly, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {Columns} FROM mcp.servers WHERE organization_id = @org AND (NOT @enabled_only OR enabled) ORDER BY lower(name)");
        command.Parameters.AddWithValue("org", organizationId);
        command.Parameters.AddWithValue("enabled_only", enabledOnly);
        return await ReadAllAsync(command, cancellationToken);
    }

    /// <summary>Every server of every organization (health checks).</summary>
    public async Task<IReadOnlyList<McpServerRecord>> ListAllAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM mcp.servers ORDER BY id");
        return await ReadAllAsync(command, cancellationToken);
    }

    public async Task<McpServerRecord?> FindAsync(Guid organizationId, Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM mcp.servers WHERE organization_id = @org AND id = @id");
        command.Parameters.AddWithValue("org", organizationId);
        command.Parameters.AddWithValue("id", id);
        return (await ReadAllAsync(command, cancellationToken)).SingleOrDefault();
    }

    public async Task<McpServerRecord?> FindByNameAsync(Guid organizationId, string name, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM mcp.servers WHERE organization_id = @org AND lower(name) = lower(@name)");
        command.Parameters.AddWithValue("org", organizationId);
        command.Parameters.AddWithValue("name", name);
        return (await ReadAllAsync(command, cancellationToken)).SingleOrDefault();
    }

    public async Task<(ServerWriteOutcome Outcome, McpServerRecord? Server)> CreateAsync(
        Guid organizationId, McpServerChanges changes, CancellationToken cancellationToken)
    {
        var id = Guid.CreateVersion7();
        var now = clock.GetUtcNow().UtcDateTime;
        var headers = changes.Headers ?? new Dictionary<string, string>();
        await using var command = dataSource.CreateCommand("""
            INSERT INTO mcp.servers (id, organization_id, name, url, transport, enabled, allow_user_keys, header_names,
                                     headers_key_id, headers_ciphertext, enabled_tools, created_at, updated_at,
                                     template_headers, template_variables)
            VALUES (@id, @org, @name, @url, @transport, @enabled, @allow_user_keys, @header_names,
                    @key_id, @ciphertext, '{}', @now, @now, @template_headers, @template_variables)
            """);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("org", organizationId);
        AddChangeParameters(command, id, changes with { Headers = headers });
        command.Parameters.AddWithValue("now", now);
        if (!await TryExecuteAsync(command, cancellationToken)) return (ServerWriteOutcome.NameTaken, null);
        return (ServerWriteOutcome.Saved, await FindAsync(organizationId, id, cancellationToken));
    }

    public async Task<(ServerWriteOutcome Outcome, McpServerRecord? Server)> UpdateAsync(
        Guid organizationId, Guid id, McpServerChanges changes, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            UPDATE mcp.servers SET name = @name, url = @url, transport = @transport, enabled = @enabled,
                   allow_user_keys = @allow_user_keys,
                   {(changes.Headers is null ? "" : "header_names = @header_names, headers_key_id = @key_id, headers_ciphertext = @ciphertext, template_headers = @template_headers, template_variables = @template_variables,")}
                   updated_at = @now
            WHERE organization_id = @org AND id = @id
            """);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("org", organizationId);
        AddChangeParameters(command, id, changes);
        command.Parameters.AddWithValue("now", clock.GetUtcNow().UtcDateTime);
        try
        {
            if (await command.ExecuteNonQueryAsync(cancellationToken) == 0) return (ServerWriteOutcome.NotFound, null);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return (ServerWriteOutcome.NameTaken, null);
        }
        return (ServerWriteOutcome.Saved, await FindAsync(organizationId, id, cancellationToken));
    }

    public async Task<McpServerRecord?> SetEnabledToolsAsync(
        Guid organizationId, Guid id, IReadOnlyList<string> tools, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE mcp.servers SET enabled_tools = @tools, updated_at = @now WHERE organization_id = @org AND id = @id");
        command.Parameters.AddWithValue("org", organizationId);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.Add(new NpgsqlParameter("tools", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = tools.ToArray() });
        command.Parameters.AddWithValue("now", clock.GetUtcNow().UtcDateTime);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 0 ? null : await FindAsync(organizationId, id, cancellationToken);
    }

    public async Task<bool> DeleteAsync(Guid organizationId, Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM mcp.servers WHERE organization_id = @org AND id = @id");
        command.Parameters.AddWithValue("org", organizationId);
        command.Parameters.AddWithValue("id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>The server's header values in plaintext, for the upstream connection only.</summary>
    public IReadOnlyDictionary<string, string> OpenHeaders(McpServerRecord server) =>
        server.Headers is null ? new Dictionary<string, string>() : cipher.Open(server.Headers, server.Id);

    private void AddChangeParameters(NpgsqlCommand command, Guid id, McpServerChanges changes)
    {
        command.Parameters.AddWithValue("name", changes.Name);
        command.Parameters.AddWithValue("url", changes.Url);
        command.Parameters.AddWithValue("transport", changes.Transport);
        command.Parameters.AddWithValue("enabled", changes.Enabled);
        command.Parameters.AddWithValue("allow_user_keys", changes.AllowUserKeys);
        if (changes.Headers is not { } headers) return;

        var sealedHeaders = headers.Count == 0 ? null : cipher.Seal(headers, id);
        command.Parameters.Add(new NpgsqlParameter("header_names", NpgsqlDbType.Array | NpgsqlDbType.Text)
        {
            Value = headers.Keys.Order(StringComparer.OrdinalIgnoreCase).ToArray(),
        });
        command.Parameters.Add(new NpgsqlParameter("template_headers", NpgsqlDbType.Array | NpgsqlDbType.Text)
        {
            Value = headers.Where(h => HeaderTemplates.PlaceholdersIn([h.Value]).Count > 0).Select(h => h.Key).Order(StringComparer.OrdinalIgnoreCase).ToArray(),
        });
        command.Parameters.Add(new NpgsqlParameter("template_variables", NpgsqlDbType.Array | NpgsqlDbType.Text)
        {
            Value = HeaderTemplates.PlaceholdersIn(headers.Values).Order(StringComparer.Ordinal).ToArray(),
        });
        command.Parameters.Add(new NpgsqlParameter("key_id", NpgsqlDbType.Text) { Value = (object?)sealedHeaders?.KeyId ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("ciphertext", NpgsqlDbType.Bytea) { Value = (object?)sealedHeaders?.Ciphertext ?? DBNull.Value });
    }

    private static async Task<bool> TryExecuteAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
            return true;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return false;
        }
    }

    private static async Task<IReadOnlyList<McpServerRecord>> ReadAllAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var servers = new List<McpServerRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            servers.Add(new McpServerRecord(
                reader.GetGuid(0),
                reader.GetGuid(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetBoolean(5),
                reader.GetBoolean(6),
                reader.GetFieldValue<string[]>(7),
                reader.IsDBNull(8) ? null : new SealedHeaders(reader.GetString(8), reader.GetFieldValue<byte[]>(9)),
                reader.GetFieldValue<string[]>(10),
                DateTime.SpecifyKind(reader.GetDateTime(11), DateTimeKind.Utc),
                DateTime.SpecifyKind(reader.GetDateTime(12), DateTimeKind.Utc),
                reader.GetFieldValue<string[]>(13),
                reader.GetFieldValue<string[]>(14)));
        }
        return servers;
    }
}
