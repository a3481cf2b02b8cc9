using Npgsql;

namespace Requesty.Alerts.Infrastructure;

public sealed record WebhookConfig(Guid OrganizationId, string Type, string Url, byte[]? SecretEncrypted, DateTime UpdatedAt);

/// <summary>One webhook per organization (alerts.webhooks); read at send time, so an edit applies to pending alerts too.</summary>
public sealed class WebhookStore(NpgsqlDataSource dataSource)
{
    public async Task<WebhookConfig?> GetAsync(Guid org, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT type, url, secret_encrypted, updated_at FROM alerts.webhooks WHERE organization_id = @org");
        command.Parameters.AddWithValue("org", org);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        return new WebhookConfig(org, reader.GetString(0), reader.GetString(1),
            reader.IsDBNull(2) ? null : reader.GetFieldValue<byte[]>(2), reader.GetDateTime(3));
    }

    public async Task UpsertAsync(WebhookConfig webhook, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO alerts.webhooks (organization_id, type, url, secret_encrypted, updated_at)
            VALUES (@org, @type, @url, @secret, @now)
            ON CONFLICT (organization_id) DO UPDATE
            SET type = EXCLUDED.type, url = EXCLUDED.url, secret_encrypted = EXCLUDED.secret_encrypted, updated_at = EXCLUDED.updated_at
            """);
        command.Parameters.AddWithValue("org", webhook.OrganizationId);
        command.Parameters.AddWithValue("type", webhook.Type);
        command.Parameters.AddWithValue("url", webhook.Url);
        command.Parameters.Add(new NpgsqlParameter("secret", NpgsqlTypes.NpgsqlDbType.Bytea) { Value = (object?)webhook.SecretEncrypted ?? DBNull.Value });
        command.Parameters.AddWithValue("now", webhook.UpdatedAt);
        await command.ExecuteNonQueryAsync(ct);
    }
}
