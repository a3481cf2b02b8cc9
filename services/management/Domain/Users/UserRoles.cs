namespace Requesty.Management.Domain.Users;

/// <summary>Organisation roles (RBAC) and group member roles share the same two values.</summary>
public static class UserRoles
{
    public const string Admin = "admin";
    public const string Member = "member";

    public static readonly IReadOnlyList<string> All = [Admin, Member];

    public static bool IsValid(string? role) => role is Admin or Member;
}
