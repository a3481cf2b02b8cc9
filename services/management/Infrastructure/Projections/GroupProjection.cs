using Npgsql;
using NpgsqlTypes;
using Requesty.Management.Domain.Groups;
using Requesty.Management.Infrastructure.EventSourcing;
using static Requesty.Management.Infrastructure.Projections.IdentityProjectionCommands;

namespace Requesty.Management.Infrastructure.Projections;

/// <summary>management.groups and management.group_members (a deleted group keeps its row, loses its members).</summary>
public sealed class GroupProjection : IProjection
{
    private const string Table = "management.groups";

    public IReadOnlyList<string> Tables { get; } = [Table, "management.group_members"];

    public async Task ApplyAsync(StoredEvent @event, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        switch (@event.Data)
        {
            case GroupCreated created:
                await ExecuteAsync("""
                    INSERT INTO management.groups (id, organization_id, name, description, monthly_budget, member_monthly_limit,
                        created_at, updated_at, deleted_at, version)
                    VALUES (@id, @organization_id, @name, @description, @monthly_budget, @member_monthly_limit, @at, @at, NULL, @version)
                    """, connection, transaction, cancellationToken,
                    new NpgsqlParameter("id", @event.StreamId),
                    new NpgsqlParameter("organization_id", created.OrganizationId),
                    new NpgsqlParameter("name", created.Name),
                    Nullable("description", created.Description, NpgsqlDbType.Text),
                    Nullable("monthly_budget", created.MonthlyBudget, NpgsqlDbType.Numeric),
                    Nullable("member_monthly_limit", created.MemberMonthlyLimit, NpgsqlDbType.Numeric),
                    new NpgsqlParameter("at", @event.OccurredAt),
                    new NpgsqlParameter("version", @event.Version));
                break;
            case GroupDetailsChanged details:
                await UpdateAsync(Table, @event,
                    "name = @name, description = @description, monthly_budget = @monthly_budget, member_monthly_limit = @member_monthly_limit",
                    connection, transaction, cancellationToken,
                    new NpgsqlParameter("name", details.Name),
                    Nullable("description", details.Description, NpgsqlDbType.Text),
                    Nullable("monthly_budget", details.MonthlyBudget, NpgsqlDbType.Numeric),
                    Nullable("member_monthly_limit", details.MemberMonthlyLimit, NpgsqlDbType.Numeric));
                break;
            case GroupDeleted:
                await UpdateAsync(Table, @event, "deleted_at = @deleted_at", connection, transaction, cancellationToken,
                    new NpgsqlParameter("deleted_at", @event.OccurredAt));
                await ExecuteAsync("DELETE FROM management.group_members WHERE group_id = @group_id", connection, transaction, cancellationToken,
                    new NpgsqlParameter("group_id", @event.StreamId));
                break;
            case GroupMemberAdded added:
                await ExecuteAsync("""
                    INSERT INTO management.group_members (group_id, user_id, organization_id, role, added_at)
                    VALUES (@group_id, @user_id, @organization_id, @role, @at)
                    """, connection, transaction, cancellationToken,
                    new NpgsqlParameter("group_id", @event.StreamId),
                    new NpgsqlParameter("user_id", added.UserId),
                    new NpgsqlParameter("organization_id", added.OrganizationId),
                    new NpgsqlParameter("role", added.Role),
                    new NpgsqlParameter("at", @event.OccurredAt));
                await TouchAsync(@event, connection, transaction, cancellationToken);
                break;
            case GroupMemberRoleChanged role:
                await ExecuteAsync("UPDATE management.group_members SET role = @role WHERE group_id = @group_id AND user_id = @user_id",
                    connection, transaction, cancellationToken,
                    new NpgsqlParameter("role", role.Role),
                    new NpgsqlParameter("group_id", @event.StreamId),
                    new NpgsqlParameter("user_id", role.UserId));
                await TouchAsync(@event, connection, transaction, cancellationToken);
                break;
            case GroupMemberRemoved removed:
                await ExecuteAsync("DELETE FROM management.group_members WHERE group_id = @group_id AND user_id = @user_id",
                    connection, transaction, cancellationToken,
                    new NpgsqlParameter("group_id", @event.StreamId),
                    new NpgsqlParameter("user_id", removed.UserId));
                await TouchAsync(@event, connection, transaction, cancellationToken);
                break;
        }
    }

    // Membership events are on the group's stream, so the group's version (its ETag) moves with them.
    private static Task TouchAsync(StoredEvent @event, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken) =>
        UpdateAsync(Table, @event, "id = id", connection, transaction, cancellationToken);
}
