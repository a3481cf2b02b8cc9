namespace Requesty.Alerts.Application;

/// <summary>The dimensions spend is accumulated on; threshold evaluation reads them.</summary>
public static class SpendScope
{
    /// <summary>Whole organization.</summary>
    public const string Organization = "organization";
    /// <summary>A user (any of the user's keys).</summary>
    public const string User = "user";
    /// <summary>A key without a user (service accounts).</summary>
    public const string ApiKey = "api_key";
    /// <summary>A group's combined spend.</summary>
    public const string Group = "group";
    /// <summary>A user's spend made within one group (group-based user budgets).</summary>
    public const string GroupUser = "group_user";
    /// <summary>A user-less key's spend made within one group.</summary>
    public const string GroupApiKey = "group_api_key";

    public static readonly IReadOnlySet<string> All =
        new HashSet<string>(StringComparer.Ordinal) { Organization, User, ApiKey, Group, GroupUser, GroupApiKey };
}

/// <summary>One spend row a request contributes to. <see cref="GroupId"/> is <see cref="Guid.Empty"/> outside groups.</summary>
public readonly record struct SpendKey(string Scope, Guid ScopeId, Guid GroupId);
