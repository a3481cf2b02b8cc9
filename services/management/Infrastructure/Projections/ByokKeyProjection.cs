using Npgsql;
using NpgsqlTypes;
using Requesty.Management.Domain.Byok;
using Requesty.Management.Infrastructure.EventSourcing;

namespace Requesty.Management.Infrastructure.Projections;

/// <summary>
/// management.byok_keys: each organisation's current own key per provider, sealed (ciphertext, nonce, tag and
/// the master key id; never the plaintext). A replacement keeps created_at; a removal deletes the row.
/// </summary>
public sealed class ByokKeyProjection : IProjection
{
    public IReadOnlyList<string> Tables { get; } = ["management.byok_keys"];

    public Task ApplyAsync(StoredEvent @event, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken) =>
        @event.Data switch
        {
            ByokKeySet set => UpsertAsync(@event, set, connection, transaction, cancellationToken),
            ByokKeyRemoved => DeleteAsync(@event, connection, transaction, cancellationToken),
            _ => Task.CompletedTask,
        };

    private static async Task UpsertAsync(StoredEvent @event, ByokKeySet set, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO management.byok_keys (stream_id, organization_id, provider, key_id, nonce, ciphertext, tag, hint, set_by, created_at, updated_at, version)
            VALUES (@stream_id, @organization_id, @provider, @key_id, @nonce, @ciphertext, @tag, @hint, @set_by, @at, @at, @version)
            ON CONFLICT (organization_id, provider) DO UPDATE SET
                key_id = excluded.key_id, nonce = excluded.nonce, ciphertext = excluded.ciphertext, tag = excluded.tag,
                hint = excluded.hint, set_by = excluded.set_by, updated_at = excluded.updated_at, version = excluded.version
            """, connection, transaction);
        command.Parameters.AddWithValue("stream_id", @event.StreamId);
        command.Parameters.AddWithValue("organization_id", set.OrganizationId);
        command.Parameters.AddWithValue("provider", set.Provider);
        command.Parameters.AddWithValue("key_id", set.Key.KeyId);
        command.Parameters.AddWithValue("nonce", Convert.FromBase64String(set.Key.Nonce));
        command.Parameters.AddWithValue("ciphertext", Convert.FromBase64String(set.Key.Ciphertext));
        command.Parameters.AddWithValue("tag", Convert.FromBase64String(set.Key.Tag));
        command.Parameters.AddWithValue("hint", set.Hint);
        command.Parameters.Add(new NpgsqlParameter("set_by", NpgsqlDbType.Uuid) { Value = set.SetBy is { } by ? by : DBNull.Value });
        command.Parameters.AddWithValue("at", @event.OccurredAt);
        command.Parameters.AddWithValue("version", @event.Version);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task DeleteAsync(StoredEvent @event, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("DELETE FROM management.byok_keys WHERE stream_id = @stream_id", connection, transaction);
        command.Parameters.AddWithValue("stream_id", @event.StreamId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
