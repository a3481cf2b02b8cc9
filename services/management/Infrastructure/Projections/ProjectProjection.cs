using Npgsql;
using NpgsqlTypes;
using Requesty.Management.Domain.Projects;
using Requesty.Management.Infrastructure.EventSourcing;
using static Requesty.Management.Infrastructure.Projections.IdentityProjectionCommands;

namespace Requesty.Management.Infrastructure.Projections;

/// <summary>management.projects (deleted projects keep their row with deleted_at set).</summary>
public sealed class ProjectProjection : IProjection
{
    private const string Table = "management.projects";

    public IReadOnlyList<string> Tables { get; } = [Table];

    public Task ApplyAsync(StoredEvent @event, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken) =>
        @event.Data switch
        {
            ProjectCreated created => ExecuteAsync("""
                INSERT INTO management.projects (id, organization_id, name, kind, owner_user_id, monthly_limit,
                    created_at, updated_at, deleted_at, version)
                VALUES (@id, @organization_id, @name, @kind, @owner_user_id, @monthly_limit, @at, @at, NULL, @version)
                """, connection, transaction, cancellationToken,
                new NpgsqlParameter("id", @event.StreamId),
                new NpgsqlParameter("organization_id", created.OrganizationId),
                new NpgsqlParameter("name", created.Name),
                new NpgsqlParameter("kind", created.Kind),
                Nullable("owner_user_id", created.OwnerUserId, NpgsqlDbType.Uuid),
                Nullable("monthly_limit", created.MonthlyLimit, NpgsqlDbType.Numeric),
                new NpgsqlParameter("at", @event.OccurredAt),
                new NpgsqlParameter("version", @event.Version)),
            ProjectRenamed renamed => UpdateAsync(Table, @event, "name = @name", connection, transaction, cancellationToken,
                new NpgsqlParameter("name", renamed.Name)),
            ProjectMonthlyLimitChanged limit => UpdateAsync(Table, @event, "monthly_limit = @monthly_limit", connection, transaction, cancellationToken,
                Nullable("monthly_limit", limit.MonthlyLimit, NpgsqlDbType.Numeric)),
            ProjectDeleted => UpdateAsync(Table, @event, "deleted_at = @deleted_at", connection, transaction, cancellationToken,
                new NpgsqlParameter("deleted_at", @event.OccurredAt)),
            _ => Task.CompletedTask,
        };
}
