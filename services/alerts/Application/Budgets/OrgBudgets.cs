using Requesty.Alerts.Application.Alerts;

namespace Requesty.Alerts.Application.Budgets;

/// <summary>A user's monthly limit as management has it (null = none set).</summary>
public sealed record UserBudget(Guid UserId, string Email, decimal? MonthlyLimitUsd);

/// <summary>
/// A group's monthly budget as management has it. <see cref="MemberMonthlyLimitUsd"/> and
/// <see cref="AdminEmails"/> are optional fields of the contract (absent = none).
/// </summary>
public sealed record GroupBudget(Guid GroupId, string Name, decimal? MonthlyBudgetUsd, decimal? MemberMonthlyLimitUsd, IReadOnlyList<string> AdminEmails);

/// <summary>
/// One organization's budgets, limits and balance from management (the source of truth), as
/// fetched at <see cref="FetchedAt"/>. <see cref="Known"/> is false when management does not know
/// the organization (404): then nothing has a budget and no balance is known.
/// </summary>
public sealed record OrgBudgets(
    Guid OrganizationId,
    bool Known,
    string? BillingMode,
    decimal? BalanceUsd,
    decimal? DefaultUserMonthlyLimitUsd,
    IReadOnlyDictionary<Guid, UserBudget> Users,
    IReadOnlyDictionary<Guid, GroupBudget> Groups,
    DateTime FetchedAt)
{
    public const string Prepaid = "prepaid";
    public const string Postpaid = "postpaid";

    public static OrgBudgets Unknown(Guid organizationId, DateTime fetchedAt) =>
        new(organizationId, false, null, null, null, new Dictionary<Guid, UserBudget>(), new Dictionary<Guid, GroupBudget>(), fetchedAt);

    /// <summary>
    /// The balance balance alerts compare with: management's balance (spend already deducted) for
    /// prepaid organizations; postpaid organizations have no credit balance, so none.
    /// </summary>
    public decimal? AlertBalance => Known && BillingMode != Postpaid ? BalanceUsd : null;

    /// <summary>
    /// The user's limit as management holds it; email falls back to the id. No fallback to the default limit:
    /// management applies the organisation's default when it creates a user, and a null limit there means "no limit".
    /// </summary>
    public UserProfile ProfileOf(Guid userId) => Users.TryGetValue(userId, out var user)
        ? new UserProfile(user.Email, user.MonthlyLimitUsd)
        : new UserProfile(userId.ToString(), null);

    public IReadOnlyDictionary<Guid, GroupProfile> GroupProfiles(IEnumerable<Guid> groupIds)
    {
        var profiles = new Dictionary<Guid, GroupProfile>();
        foreach (var id in groupIds.Distinct())
        {
            if (Groups.TryGetValue(id, out var group))
                profiles[id] = new GroupProfile(group.Name, group.MonthlyBudgetUsd, group.MemberMonthlyLimitUsd, group.AdminEmails);
        }
        return profiles;
    }
}

/// <summary>Management could not be asked (unreachable, timed out, answered an error or an unreadable body).</summary>
public sealed class ManagementUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
