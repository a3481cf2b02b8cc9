namespace Requesty.Management.Application.Users;

/// <summary>A user as the management API shows it (snake_case on the wire).</summary>
public record UserResponse
{
    public Guid Id { get; init; }
    public string Email { get; init; } = "";
    /// <summary>"admin" (whole organisation) or "member" (own keys, projects and usage).</summary>
    public string Role { get; init; } = "";
    /// <summary>USD per calendar month (UTC); null = unlimited.</summary>
    public decimal? MonthlyLimit { get; init; }
    /// <summary>"inactive" until the user has an API key (a private context with API access), then "active".</summary>
    public string Status { get; init; } = "";
    public Guid? PrivateProjectId { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
    /// <summary>Send it back as If-Match to update only this version.</summary>
    public long Version { get; init; }

    public static UserResponse From(UserRow row) => Fill(new UserResponse(), row);

    protected static T Fill<T>(T response, UserRow row) where T : UserResponse => response with
    {
        Id = row.Id, Email = row.Email, Role = row.Role, MonthlyLimit = row.MonthlyLimit, Status = row.Status,
        PrivateProjectId = row.PrivateProjectId, CreatedAt = row.CreatedAt, UpdatedAt = row.UpdatedAt, Version = row.Version,
    };
}

/// <summary>GET /v1/manage/user/{id}: the user and the groups they belong to.</summary>
public sealed record UserDetailsResponse : UserResponse
{
    public IReadOnlyList<UserGroupResponse> Groups { get; init; } = [];

    public static UserDetailsResponse From(UserRow row, IReadOnlyList<UserGroupRow> groups) =>
        Fill(new UserDetailsResponse { Groups = groups.Select(g => new UserGroupResponse(g.Id, g.Name, g.Role)).ToArray() }, row);
}

/// <summary>A group of the user and the user's role in it.</summary>
public sealed record UserGroupResponse(Guid Id, string Name, string Role);

public sealed record UserListResponse(IReadOnlyList<UserResponse> Users);
