using Npgsql;
using static Requesty.Management.Application.Users.IdentityStreams;

namespace Requesty.Management.Application.Projects;

public sealed record ProjectRow(
    Guid Id, Guid OrganizationId, string Name, string Kind, Guid? OwnerUserId, decimal? MonthlyLimit, int LiveKeyCount,
    DateTime CreatedAt, DateTime UpdatedAt, long Version);

/// <summary>Queries over management.projects (live projects only).</summary>
public sealed class ProjectReadModel(NpgsqlDataSource dataSource)
{
    private const string Select = """
        SELECT p.id, p.organization_id, p.name, p.kind, p.owner_user_id, p.monthly_limit,
            (SELECT count(*)::int FROM management.api_keys k WHERE k.project_id = p.id AND k.deleted_at IS NULL),
            p.created_at, p.updated_at, p.version
        FROM management.projects p
        """;

    /// <summary>
    /// Every live project of the organisation; with <paramref name="visibleTo"/> only that user's private
    /// project and the shared ones (a member's view).
    /// </summary>
    public async Task<IReadOnlyList<ProjectRow>> ListAsync(Guid organizationId, Guid? visibleTo, bool restrict, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            {Select}
            WHERE p.organization_id = @org AND p.deleted_at IS NULL
              AND (NOT @restrict OR p.kind = 'shared' OR p.owner_user_id = @user)
            ORDER BY p.kind DESC, p.name, p.id
            """);
        command.Parameters.AddWithValue("org", organizationId);
        command.Parameters.AddWithValue("restrict", restrict);
        command.Parameters.Add(Uuid("user", visibleTo));
        return await ReadAsync(command, cancellationToken);
    }

    public async Task<ProjectRow?> FindAsync(Guid organizationId, Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"{Select} WHERE p.id = @id AND p.organization_id = @org AND p.deleted_at IS NULL");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("org", organizationId);
        return (await ReadAsync(command, cancellationToken)).SingleOrDefault();
    }

    private static async Task<IReadOnlyList<ProjectRow>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<ProjectRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            rows.Add(new ProjectRow(
                reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetGuid(4), reader.IsDBNull(5) ? null : reader.GetDecimal(5), reader.GetInt32(6),
                reader.GetFieldValue<DateTime>(7), reader.GetFieldValue<DateTime>(8), reader.GetInt64(9)));
        return rows;
    }
}
