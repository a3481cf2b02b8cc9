using Npgsql;
using static Requesty.Management.Application.Users.IdentityStreams;

namespace Requesty.Management.Application.Users;

public sealed record UserRow(
    Guid Id, Guid OrganizationId, string Email, string Role, decimal? MonthlyLimit, string Status, Guid? PrivateProjectId,
    DateTime CreatedAt, DateTime UpdatedAt, long Version);

/// <summary>A group the user belongs to, with the user's role in it.</summary>
public sealed record UserGroupRow(Guid Id, string Name, string Role);

/// <summary>Queries over management.users (live users only) and the user's group memberships.</summary>
public sealed class UserReadModel(NpgsqlDataSource dataSource)
{
    private const string Select = """
        SELECT id, organization_id, email, role, monthly_limit, status, private_project_id, created_at, updated_at, version
        FROM management.users
        """;

    /// <summary>Every live user of the organisation, or only <paramref name="onlyUserId"/> when given.</summary>
    public async Task<IReadOnlyList<UserRow>> ListAsync(Guid organizationId, Guid? onlyUserId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"{Select} WHERE organization_id = @org AND deleted_at IS NULL AND (@only IS NULL OR id = @only) ORDER BY created_at, id");
        command.Parameters.AddWithValue("org", organizationId);
        command.Parameters.Add(Uuid("only", onlyUserId));
        return await ReadAsync(command, cancellationToken);
    }

    public async Task<UserRow?> FindAsync(Guid organizationId, Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"{Select} WHERE id = @id AND organization_id = @org AND deleted_at IS NULL");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("org", organizationId);
        return (await ReadAsync(command, cancellationToken)).SingleOrDefault();
    }

    public async Task<bool> EmailInUseAsync(Guid organizationId, string email, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT EXISTS (SELECT 1 FROM management.users WHERE organization_id = @org AND lower(email) = lower(@email) AND deleted_at IS NULL)");
        command.Parameters.AddWithValue("org", organizationId);
        command.Parameters.AddWithValue("email", email.Trim());
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<IReadOnlyList<UserGroupRow>> GroupsOfAsync(Guid userId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT g.id, g.name, m.role FROM management.group_members m
            JOIN management.groups g ON g.id = m.group_id AND g.deleted_at IS NULL
            WHERE m.user_id = @user ORDER BY g.name, g.id
            """);
        command.Parameters.AddWithValue("user", userId);
        var groups = new List<UserGroupRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) groups.Add(new UserGroupRow(reader.GetGuid(0), reader.GetString(1), reader.GetString(2)));
        return groups;
    }

    /// <summary>The organisation's default monthly limit for new users (set in organisation settings); null = none.</summary>
    public async Task<decimal?> DefaultMonthlyLimitAsync(Guid organizationId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT default_user_monthly_limit FROM management.organizations WHERE id = @org");
        command.Parameters.AddWithValue("org", organizationId);
        return await command.ExecuteScalarAsync(cancellationToken) is decimal limit ? limit : null;
    }

    private static async Task<IReadOnlyList<UserRow>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<UserRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            rows.Add(new UserRow(
                reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetDecimal(4), reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetGuid(6),
                reader.GetFieldValue<DateTime>(7), reader.GetFieldValue<DateTime>(8), reader.GetInt64(9)));
        return rows;
    }
}
