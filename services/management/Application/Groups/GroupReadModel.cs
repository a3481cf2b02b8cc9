using Npgsql;
using static Requesty.Management.Application.Users.IdentityStreams;

namespace Requesty.Management.Application.Groups;

public sealed record GroupRow(
    Guid Id, Guid OrganizationId, string Name, string? Description, decimal? MonthlyBudget, int MemberCount,
    DateTime CreatedAt, DateTime UpdatedAt, long Version)
{
    /// <summary>USD per calendar month (UTC) each member may spend; null = none.</summary>
    public decimal? MemberMonthlyLimit { get; init; }
}

public sealed record GroupMemberRow(Guid UserId, string Email, string Role, DateTime AddedAt);

/// <summary>Queries over management.groups and management.group_members (live groups only).</summary>
public sealed class GroupReadModel(NpgsqlDataSource dataSource)
{
    private const string Select = """
        SELECT g.id, g.organization_id, g.name, g.description, g.monthly_budget,
            (SELECT count(*)::int FROM management.group_members m WHERE m.group_id = g.id),
            g.created_at, g.updated_at, g.version, g.member_monthly_limit
        FROM management.groups g
        """;

    /// <summary>Every live group of the organisation, or only those <paramref name="memberUserId"/> belongs to.</summary>
    public async Task<IReadOnlyList<GroupRow>> ListAsync(Guid organizationId, Guid? memberUserId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            {Select}
            WHERE g.organization_id = @org AND g.deleted_at IS NULL
              AND (@member IS NULL OR EXISTS (SELECT 1 FROM management.group_members m WHERE m.group_id = g.id AND m.user_id = @member))
            ORDER BY g.name, g.id
            """);
        command.Parameters.AddWithValue("org", organizationId);
        command.Parameters.Add(Uuid("member", memberUserId));
        return await ReadAsync(command, cancellationToken);
    }

    public async Task<GroupRow?> FindAsync(Guid organizationId, Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"{Select} WHERE g.id = @id AND g.organization_id = @org AND g.deleted_at IS NULL");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("org", organizationId);
        return (await ReadAsync(command, cancellationToken)).SingleOrDefault();
    }

    public async Task<IReadOnlyList<GroupMemberRow>> MembersAsync(Guid groupId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT m.user_id, u.email, m.role, m.added_at FROM management.group_members m
            JOIN management.users u ON u.id = m.user_id
            WHERE m.group_id = @group ORDER BY u.email, m.user_id
            """);
        command.Parameters.AddWithValue("group", groupId);
        var members = new List<GroupMemberRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            members.Add(new GroupMemberRow(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTime>(3)));
        return members;
    }

    /// <summary>Ids of the live groups the user belongs to.</summary>
    public async Task<IReadOnlyList<Guid>> GroupIdsOfAsync(Guid userId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT m.group_id FROM management.group_members m
            JOIN management.groups g ON g.id = m.group_id AND g.deleted_at IS NULL
            WHERE m.user_id = @user
            """);
        command.Parameters.AddWithValue("user", userId);
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) ids.Add(reader.GetGuid(0));
        return ids;
    }

    private static async Task<IReadOnlyList<GroupRow>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<GroupRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            rows.Add(new GroupRow(
                reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetDecimal(4),
                reader.GetInt32(5), reader.GetFieldValue<DateTime>(6), reader.GetFieldValue<DateTime>(7), reader.GetInt64(8))
            {
                MemberMonthlyLimit = reader.IsDBNull(9) ? null : reader.GetDecimal(9),
            });
        return rows;
    }
}
