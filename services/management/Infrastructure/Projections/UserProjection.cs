using Npgsql;
using NpgsqlTypes;
using Requesty.Management.Domain.ApiKeys;
using Requesty.Management.Domain.Users;
using Requesty.Management.Infrastructure.EventSourcing;
using static Requesty.Management.Infrastructure.Projections.IdentityProjectionCommands;

namespace Requesty.Management.Infrastructure.Projections;

/// <summary>
/// management.users. status is "inactive" until the first API key of the user is created (the user
/// then has a private context with API access) and "active" from then on.
/// </summary>
public sealed class UserProjection : IProjection
{
    private const string Table = "management.users";

    public IReadOnlyList<string> Tables { get; } = [Table];

    public Task ApplyAsync(StoredEvent @event, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken) =>
        @event.Data switch
        {
            UserCreated created => ExecuteAsync("""
                INSERT INTO management.users (id, organization_id, email, role, monthly_limit, status, private_project_id,
                    created_at, updated_at, deleted_at, version)
                VALUES (@id, @organization_id, @email, @role, @monthly_limit, 'inactive', @private_project_id, @at, @at, NULL, @version)
                """, connection, transaction, cancellationToken,
                new NpgsqlParameter("id", @event.StreamId),
                new NpgsqlParameter("organization_id", created.OrganizationId),
                new NpgsqlParameter("email", created.Email),
                new NpgsqlParameter("role", created.Role),
                Nullable("monthly_limit", created.MonthlyLimit, NpgsqlDbType.Numeric),
                new NpgsqlParameter("private_project_id", created.PrivateProjectId),
                new NpgsqlParameter("at", @event.OccurredAt),
                new NpgsqlParameter("version", @event.Version)),
            UserRoleChanged role => UpdateAsync(Table, @event, "role = @role", connection, transaction, cancellationToken,
                new NpgsqlParameter("role", role.Role)),
            UserMonthlyLimitChanged limit => UpdateAsync(Table, @event, "monthly_limit = @monthly_limit", connection, transaction, cancellationToken,
                Nullable("monthly_limit", limit.MonthlyLimit, NpgsqlDbType.Numeric)),
            UserDeleted => UpdateAsync(Table, @event, "deleted_at = @deleted_at", connection, transaction, cancellationToken,
                new NpgsqlParameter("deleted_at", @event.OccurredAt)),
            // Activity comes from the key's event, not the user's stream: version and updated_at stay.
            ApiKeyCreated { UserId: { } userId } => ExecuteAsync(
                "UPDATE management.users SET status = 'active' WHERE id = @id", connection, transaction, cancellationToken,
                new NpgsqlParameter("id", userId)),
            _ => Task.CompletedTask,
        };
}
