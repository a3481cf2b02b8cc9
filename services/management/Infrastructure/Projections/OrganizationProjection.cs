using Npgsql;
using Requesty.Management.Domain.Organizations;
using Requesty.Management.Infrastructure.EventSourcing;

namespace Requesty.Management.Infrastructure.Projections;

/// <summary>management.organizations: one row per organisation, settings and credits as of its last event.</summary>
public sealed class OrganizationProjection : IProjection
{
    public IReadOnlyList<string> Tables { get; } = ["management.organizations"];

    public Task ApplyAsync(StoredEvent @event, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken) =>
        @event.Data switch
        {
            OrganizationCreated created => ExecuteAsync(connection, transaction, """
                INSERT INTO management.organizations (id, name, created_at, updated_at, version)
                VALUES (@id, @name, @at, @at, @version)
                """, @event, cancellationToken, ("name", created.Name)),
            OrganizationSettingsChanged settings => ExecuteAsync(connection, transaction, """
                UPDATE management.organizations SET name = @name, default_model = @default_model,
                    default_user_monthly_limit = @default_user_monthly_limit, billing_mode = @billing_mode,
                    updated_at = @at, version = @version
                WHERE id = @id
                """, @event, cancellationToken,
                ("name", settings.Name), ("default_model", settings.DefaultModel),
                ("default_user_monthly_limit", settings.DefaultUserMonthlyLimit), ("billing_mode", settings.BillingMode)),
            OrganizationCreditsAdded credits => ExecuteAsync(connection, transaction, """
                UPDATE management.organizations SET credits_usd = credits_usd + @amount, updated_at = @at, version = @version
                WHERE id = @id
                """, @event, cancellationToken, ("amount", credits.AmountUsd)),
            _ => Task.CompletedTask,
        };

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, StoredEvent @event,
        CancellationToken cancellationToken, params (string Name, object? Value)[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddWithValue("id", @event.StreamId);
        command.Parameters.AddWithValue("at", @event.OccurredAt);
        command.Parameters.AddWithValue("version", @event.Version);
        foreach (var (name, value) in values)
        {
            // Typed so that a null still has a PostgreSQL type.
            var type = name is "default_user_monthly_limit" or "amount" ? NpgsqlTypes.NpgsqlDbType.Numeric : NpgsqlTypes.NpgsqlDbType.Text;
            command.Parameters.Add(new NpgsqlParameter(name, type) { Value = value ?? DBNull.Value });
        }
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
