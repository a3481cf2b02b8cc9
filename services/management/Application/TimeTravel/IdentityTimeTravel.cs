using Npgsql;
using Requesty.Management.Application.Groups;
using Requesty.Management.Application.Projects;
using Requesty.Management.Application.ServiceAccounts;
using Requesty.Management.Application.Users;
using Requesty.Management.Domain.Groups;
using Requesty.Management.Domain.Projects;
using Requesty.Management.Domain.ServiceAccounts;
using Requesty.Management.Domain.Users;
using Requesty.Management.Infrastructure.EventSourcing;

namespace Requesty.Management.Application.TimeTravel;

/// <summary>
/// Users, groups, service accounts and projects as their read models would have shown them at a past instant:
/// each folded from its own stream. What lives in other streams (a user's groups, a group's members' emails,
/// live key counts, "active" status) comes from those streams or from the key rows' created_at/deleted_at,
/// which are the key events' own instants.
/// </summary>
public sealed class IdentityTimeTravel(StreamTimeTravel travel, NpgsqlDataSource dataSource)
{
    /// <summary>Null when the user did not exist at <paramref name="asOf"/> (not yet, deleted, or another organisation's).</summary>
    public async Task<(UserRow Row, IReadOnlyList<UserGroupRow> Groups)?> FindUserAsync(
        Guid organizationId, Guid id, DateTime asOf, CancellationToken cancellationToken)
    {
        var history = await travel.HistoryAtAsync(id, asOf, cancellationToken);
        var user = User.FromHistory(history.Select(e => e.Data));
        if (user is null || user.Deleted || user.OrganizationId != organizationId) return null;

        var hadKey = await ScalarAsync<bool>(
            "SELECT EXISTS (SELECT 1 FROM management.api_keys WHERE user_id = @id AND created_at <= @as_of)", id, asOf, cancellationToken);
        var row = new UserRow(user.Id, user.OrganizationId, user.Email, user.Role, user.MonthlyLimit, hadKey ? "active" : "inactive",
            user.PrivateProjectId, history[0].OccurredAt, history[^1].OccurredAt, user.Version);

        var groups = new List<UserGroupRow>();
        foreach (var groupId in await GroupIdsOfOrganizationAsync(organizationId, cancellationToken))
        {
            var group = await travel.StateAtAsync(groupId, asOf, h => Group.FromHistory(h.Select(e => e.Data)), cancellationToken);
            if (group is not null && group.HasMember(id)) groups.Add(new UserGroupRow(group.Id, group.Name, group.Members[id]));
        }
        return (row, groups.OrderBy(g => g.Name, StringComparer.Ordinal).ThenBy(g => g.Id).ToArray());
    }

    /// <summary>The group and its members at <paramref name="asOf"/>; null when it did not exist then.</summary>
    public async Task<(GroupRow Row, IReadOnlyList<GroupMemberRow> Members)?> FindGroupAsync(
        Guid organizationId, Guid id, DateTime asOf, CancellationToken cancellationToken)
    {
        var history = await travel.HistoryAtAsync(id, asOf, cancellationToken);
        var group = Group.FromHistory(history.Select(e => e.Data));
        if (group is null || group.Deleted || group.OrganizationId != organizationId) return null;

        var emails = await EmailsAsync(group.Members.Keys.ToArray(), cancellationToken);
        var members = group.Members
            .Select(m => new GroupMemberRow(m.Key, emails.GetValueOrDefault(m.Key, ""), m.Value,
                history.Last(e => e.Data is GroupMemberAdded added && added.UserId == m.Key).OccurredAt))
            .OrderBy(m => m.Email, StringComparer.Ordinal).ThenBy(m => m.UserId)
            .ToArray();
        var row = new GroupRow(group.Id, group.OrganizationId, group.Name, group.Description, group.MonthlyBudget, members.Length,
            history[0].OccurredAt, history[^1].OccurredAt, group.Version) { MemberMonthlyLimit = group.MemberMonthlyLimit };
        return (row, members);
    }

    public async Task<ServiceAccountRow?> FindServiceAccountAsync(Guid organizationId, Guid id, DateTime asOf, CancellationToken cancellationToken)
    {
        var history = await travel.HistoryAtAsync(id, asOf, cancellationToken);
        var account = ServiceAccount.FromHistory(history.Select(e => e.Data));
        if (account is null || account.Deleted || account.OrganizationId != organizationId) return null;
        var liveKeys = await LiveKeyCountAsync("service_account_id", id, asOf, cancellationToken);
        return new ServiceAccountRow(account.Id, account.OrganizationId, account.Name, account.Description, liveKeys,
            history[0].OccurredAt, history[^1].OccurredAt, account.Version);
    }

    public async Task<ProjectRow?> FindProjectAsync(Guid organizationId, Guid id, DateTime asOf, CancellationToken cancellationToken)
    {
        var history = await travel.HistoryAtAsync(id, asOf, cancellationToken);
        var project = Project.FromHistory(history.Select(e => e.Data));
        if (project is null || project.Deleted || project.OrganizationId != organizationId) return null;
        var liveKeys = await LiveKeyCountAsync("project_id", id, asOf, cancellationToken);
        return new ProjectRow(project.Id, project.OrganizationId, project.Name, project.Kind, project.OwnerUserId, project.MonthlyLimit,
            liveKeys, history[0].OccurredAt, history[^1].OccurredAt, project.Version);
    }

    // The owner column is one of two constants above, never user input. A key's owner and project are set at creation.
    private Task<int> LiveKeyCountAsync(string ownerColumn, Guid id, DateTime asOf, CancellationToken cancellationToken) =>
        ScalarAsync<int>($"""
            SELECT count(*)::int FROM management.api_keys
            WHERE {ownerColumn} = @id AND created_at <= @as_of AND (deleted_at IS NULL OR deleted_at > @as_of)
            """, id, asOf, cancellationToken);

    private async Task<T> ScalarAsync<T>(string sql, Guid id, DateTime asOf, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("as_of", asOf);
        return (T)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Every group the organisation ever had (deleted groups keep their rows).</summary>
    private async Task<IReadOnlyList<Guid>> GroupIdsOfOrganizationAsync(Guid organizationId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT id FROM management.groups WHERE organization_id = @org");
        command.Parameters.AddWithValue("org", organizationId);
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) ids.Add(reader.GetGuid(0));
        return ids;
    }

    /// <summary>Users' emails never change, so today's rows (deleted users included) give the emails of then.</summary>
    private async Task<Dictionary<Guid, string>> EmailsAsync(Guid[] userIds, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT id, email FROM management.users WHERE id = ANY(@ids)");
        command.Parameters.AddWithValue("ids", userIds);
        var emails = new Dictionary<Guid, string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) emails[reader.GetGuid(0)] = reader.GetString(1);
        return emails;
    }
}
