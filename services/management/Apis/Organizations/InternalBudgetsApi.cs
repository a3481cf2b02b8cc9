using System.Text.Json.Serialization;
using Npgsql;
using Requesty.Management.Application.Spend;
using Requesty.Management.Infrastructure.ReadModels;
using Requesty.ServiceDefaults;

namespace Requesty.Management.Apis.Organizations;

/// <summary>
/// GET /internal/orgs/{orgId}/budgets: what the alerts service evaluates thresholds against - users' monthly limits,
/// groups' monthly budgets and the organisation's balance - so alerts never keeps a second copy of them.
/// Decimals travel as JSON strings (exact, whatever the reader's number type).
/// </summary>
public static class InternalBudgetsApi
{
    public static IEndpointRouteBuilder MapInternalBudgetsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/internal/orgs/{organizationId:guid}/budgets", GetAsync).RequireInternalToken().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> GetAsync(
        Guid organizationId, OrganizationReadModel organizations, SpendLedger spend, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        var organization = await organizations.FindAsync(organizationId, ct);
        if (organization is null)
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"No organisation {organizationId}.");

        var balance = organization.CreditsUsd - await spend.OrganizationLifetimeSpendAsync(organizationId, ct);
        return Results.Json(new OrganizationBudgets(
            organization.Id,
            organization.BillingMode,
            balance,
            organization.DefaultUserMonthlyLimit,
            await ReadUsersAsync(dataSource, organizationId, ct),
            await ReadGroupsAsync(dataSource, organizationId, ct)), Json);
    }

    private static async Task<IReadOnlyList<UserBudget>> ReadUsersAsync(NpgsqlDataSource dataSource, Guid organizationId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT id, email, monthly_limit FROM management.users
            WHERE organization_id = @org AND deleted_at IS NULL ORDER BY created_at, id
            """);
        command.Parameters.AddWithValue("org", organizationId);
        var users = new List<UserBudget>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            users.Add(new UserBudget(reader.GetGuid(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetDecimal(2)));
        return users;
    }

    private static async Task<IReadOnlyList<GroupBudget>> ReadGroupsAsync(NpgsqlDataSource dataSource, Guid organizationId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT g.id, g.name, g.monthly_budget, g.member_monthly_limit,
                   coalesce(array_agg(u.email ORDER BY lower(u.email)) FILTER (WHERE u.email IS NOT NULL), '{}') AS admin_emails
            FROM management.groups g
            LEFT JOIN management.group_members m ON m.group_id = g.id AND m.role = 'admin'
            LEFT JOIN management.users u ON u.id = m.user_id AND u.deleted_at IS NULL
            WHERE g.organization_id = @org AND g.deleted_at IS NULL
            GROUP BY g.id, g.name, g.monthly_budget, g.member_monthly_limit, g.created_at
            ORDER BY g.created_at, g.id
            """);
        command.Parameters.AddWithValue("org", organizationId);
        var groups = new List<GroupBudget>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            groups.Add(new GroupBudget(reader.GetGuid(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetDecimal(2),
                reader.GetFieldValue<string[]>(4), reader.IsDBNull(3) ? null : reader.GetDecimal(3)));
        return groups;
    }

    private static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.WriteAsString,
    };

    public sealed record OrganizationBudgets(
        Guid OrganizationId, string BillingMode, decimal BalanceUsd, decimal? DefaultUserMonthlyLimit,
        IReadOnlyList<UserBudget> Users, IReadOnlyList<GroupBudget> Groups);

    public sealed record UserBudget(Guid UserId, string Email, decimal? MonthlyLimit);

    /// <param name="AdminEmails">Members with the group role "admin": who group alerts name as the group's admins.</param>
    /// <param name="MemberMonthlyLimit">USD per calendar month (UTC) each member of the group may spend; null = none.</param>
    public sealed record GroupBudget(
        Guid GroupId, string Name, decimal? MonthlyBudget, IReadOnlyList<string> AdminEmails, decimal? MemberMonthlyLimit = null);
}
