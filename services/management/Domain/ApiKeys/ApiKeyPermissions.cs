namespace Requesty.Management.Domain.ApiKeys;

public static class ApiKeyPermissions
{
    public const string Chat = "chat";
    public const string ManageRead = "manage_read";
    public const string ManageWrite = "manage_write";

    public static readonly IReadOnlyList<string> All = [Chat, ManageRead, ManageWrite];

    public static readonly IReadOnlyList<string> Default = [Chat];

    /// <summary>Distinct, in canonical order, so equal permission sets always serialise the same way.</summary>
    public static IReadOnlyList<string> Normalize(IEnumerable<string> permissions)
    {
        var set = permissions.ToHashSet(StringComparer.Ordinal);
        return All.Where(set.Contains).ToArray();
    }
}
