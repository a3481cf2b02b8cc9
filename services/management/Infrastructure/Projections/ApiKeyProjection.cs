using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Requesty.Management.Domain.ApiKeys;
using Requesty.Management.Infrastructure.EventSourcing;

namespace Requesty.Management.Infrastructure.Projections;

/// <summary>
/// management.api_keys: the current state of every key (deleted keys keep their row with deleted_at
/// set, so history and audit stay readable). Looked up by key_hash to authenticate callers.
/// </summary>
public sealed class ApiKeyProjection : IProjection
{
    public IReadOnlyList<string> Tables { get; } = ["management.api_keys"];

    public Task ApplyAsync(StoredEvent @event, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken) =>
        @event.Data switch
        {
            ApiKeyCreated created => InsertAsync(@event, created, connection, transaction, cancellationToken),
            ApiKeyMonthlyLimitChanged limit => UpdateAsync(@event, "monthly_limit = @value", limit.MonthlyLimit, NpgsqlDbType.Numeric, connection, transaction, cancellationToken),
            ApiKeyLabelsChanged labels => UpdateAsync(@event, "labels = @value", LabelsJson(labels.Labels), NpgsqlDbType.Jsonb, connection, transaction, cancellationToken),
            ApiKeyExpiryChanged expiry => UpdateAsync(@event, "expires_at = @value", expiry.ExpiresAt, NpgsqlDbType.TimestampTz, connection, transaction, cancellationToken),
            ApiKeyAccessChanged or ApiKeyDefaultModelChanged => BumpVersionAsync(@event, connection, transaction, cancellationToken),
            ApiKeyDeleted => UpdateAsync(@event, "deleted_at = @value", @event.OccurredAt, NpgsqlDbType.TimestampTz, connection, transaction, cancellationToken),
            _ => Task.CompletedTask,
        };

    private static async Task InsertAsync(
        StoredEvent @event, ApiKeyCreated created, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO management.api_keys (id, organization_id, name, key_hash, prefix, permissions, monthly_limit, labels,
                expires_at, project_id, service_account_id, user_id, created_by, created_at, updated_at, deleted_at, version)
            VALUES (@id, @organization_id, @name, @key_hash, @prefix, @permissions, @monthly_limit, @labels,
                @expires_at, @project_id, @service_account_id, @user_id, @created_by, @at, @at, NULL, @version)
            """, connection, transaction);
        command.Parameters.AddWithValue("id", @event.StreamId);
        command.Parameters.AddWithValue("organization_id", created.OrganizationId);
        command.Parameters.AddWithValue("name", created.Name);
        command.Parameters.AddWithValue("key_hash", created.KeyHash);
        command.Parameters.AddWithValue("prefix", created.Prefix);
        command.Parameters.AddWithValue("permissions", created.Permissions.ToArray());
        command.Parameters.Add(Nullable("monthly_limit", created.MonthlyLimit, NpgsqlDbType.Numeric));
        command.Parameters.Add(new NpgsqlParameter("labels", NpgsqlDbType.Jsonb) { Value = LabelsJson(created.Labels) });
        command.Parameters.Add(Nullable("expires_at", created.ExpiresAt, NpgsqlDbType.TimestampTz));
        command.Parameters.Add(Nullable("project_id", created.ProjectId, NpgsqlDbType.Uuid));
        command.Parameters.Add(Nullable("service_account_id", created.ServiceAccountId, NpgsqlDbType.Uuid));
        command.Parameters.Add(Nullable("user_id", created.UserId, NpgsqlDbType.Uuid));
        command.Parameters.Add(Nullable("created_by", created.CreatedBy, NpgsqlDbType.Uuid));
        command.Parameters.AddWithValue("at", @event.OccurredAt);
        command.Parameters.AddWithValue("version", @event.Version);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task UpdateAsync(
        StoredEvent @event, string assignment, object? value, NpgsqlDbType type,
        NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"UPDATE management.api_keys SET {assignment}, updated_at = @at, version = @version WHERE id = @id", connection, transaction);
        command.Parameters.Add(Nullable("value", value, type));
        command.Parameters.AddWithValue("at", @event.OccurredAt);
        command.Parameters.AddWithValue("version", @event.Version);
        command.Parameters.AddWithValue("id", @event.StreamId);
        if (await command.ExecuteNonQueryAsync(cancellationToken) != 1)
            throw new InvalidOperationException($"api_keys row {@event.StreamId} missing while applying {@event.EventType}.");
    }

    // Role and group ids are joined in from users/group_members when read; the row only follows the stream's version.
    private static async Task BumpVersionAsync(StoredEvent @event, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("UPDATE management.api_keys SET version = @version WHERE id = @id", connection, transaction);
        command.Parameters.AddWithValue("version", @event.Version);
        command.Parameters.AddWithValue("id", @event.StreamId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string LabelsJson(IReadOnlyDictionary<string, string> labels) => JsonSerializer.Serialize(labels);

    private static NpgsqlParameter Nullable(string name, object? value, NpgsqlDbType type) =>
        new(name, type) { Value = value ?? DBNull.Value };
}
