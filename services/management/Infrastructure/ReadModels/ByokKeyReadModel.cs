using Npgsql;
using Requesty.Management.Domain.Byok;

namespace Requesty.Management.Infrastructure.ReadModels;

/// <summary>One row of management.byok_keys: an organisation's sealed own key for a provider.</summary>
public sealed record ByokKeyRow(
    Guid OrganizationId, string Provider, SealedProviderKey Key, string Hint, Guid? SetBy, DateTime CreatedAt, DateTime UpdatedAt, long Version);

/// <summary>Queries over management.byok_keys.</summary>
public sealed class ByokKeyReadModel(NpgsqlDataSource dataSource)
{
    private const string Columns = "organization_id, provider, key_id, nonce, ciphertext, tag, hint, set_by, created_at, updated_at, version";

    public async Task<IReadOnlyList<ByokKeyRow>> ListAsync(Guid organizationId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM management.byok_keys WHERE organization_id = @org ORDER BY provider");
        command.Parameters.AddWithValue("org", organizationId);
        return await ReadAsync(command, cancellationToken);
    }

    /// <summary>Every organisation's keys (the router's snapshot).</summary>
    public async Task<IReadOnlyList<ByokKeyRow>> ListAllAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM management.byok_keys ORDER BY organization_id, provider");
        return await ReadAsync(command, cancellationToken);
    }

    private static async Task<IReadOnlyList<ByokKeyRow>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<ByokKeyRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new ByokKeyRow(
                reader.GetGuid(0),
                reader.GetString(1),
                new SealedProviderKey(
                    reader.GetString(2),
                    Convert.ToBase64String(reader.GetFieldValue<byte[]>(3)),
                    Convert.ToBase64String(reader.GetFieldValue<byte[]>(4)),
                    Convert.ToBase64String(reader.GetFieldValue<byte[]>(5))),
                reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetGuid(7),
                reader.GetFieldValue<DateTime>(8),
                reader.GetFieldValue<DateTime>(9),
                reader.GetInt64(10)));
        }
        return rows;
    }
}
