using Npgsql;
using NpgsqlTypes;
using Requesty.Management.Domain.ServiceAccounts;
using Requesty.Management.Infrastructure.EventSourcing;
using static Requesty.Management.Infrastructure.Projections.IdentityProjectionCommands;

namespace Requesty.Management.Infrastructure.Projections;

/// <summary>management.service_accounts (deleted accounts keep their row with deleted_at set).</summary>
public sealed class ServiceAccountProjection : IProjection
{
    private const string Table = "management.service_accounts";

    public IReadOnlyList<string> Tables { get; } = [Table];

    public Task ApplyAsync(StoredEvent @event, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken) =>
        @event.Data switch
        {
            ServiceAccountCreated created => ExecuteAsync("""
                INSERT INTO management.service_accounts (id, organization_id, name, description, created_at, updated_at, deleted_at, version)
                VALUES (@id, @organization_id, @name, @description, @at, @at, NULL, @version)
                """, connection, transaction, cancellationToken,
                new NpgsqlParameter("id", @event.StreamId),
                new NpgsqlParameter("organization_id", created.OrganizationId),
                new NpgsqlParameter("name", created.Name),
                Nullable("description", created.Description, NpgsqlDbType.Text),
                new NpgsqlParameter("at", @event.OccurredAt),
                new NpgsqlParameter("version", @event.Version)),
            ServiceAccountDeleted => UpdateAsync(Table, @event, "deleted_at = @deleted_at", connection, transaction, cancellationToken,
                new NpgsqlParameter("deleted_at", @event.OccurredAt)),
            _ => Task.CompletedTask,
        };
}
