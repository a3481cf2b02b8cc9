namespace Requesty.Management.Application.Groups;

public record GroupResponse
{
    public Guid Id { get; init; }
    public string Name { get; init; } = "";
    public string? Description { get; init; }
    /// <summary>USD per calendar month (UTC) the group aims to stay under; null = none.</summary>
    public decimal? MonthlyBudget { get; init; }
    /// <summary>USD per calendar month (UTC) each member may spend; null = none.</summary>
    public decimal? MemberMonthlyLimit { get; init; }
    public int MemberCount { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
    /// <summary>Send it back as If-Match to update only this version (membership changes move it too).</summary>
    public long Version { get; init; }

    public static GroupResponse From(GroupRow row) => Fill(new GroupResponse(), row);

    protected static T Fill<T>(T response, GroupRow row) where T : GroupResponse => response with
    {
        Id = row.Id, Name = row.Name, Description = row.Description, MonthlyBudget = row.MonthlyBudget,
        MemberMonthlyLimit = row.MemberMonthlyLimit, MemberCount = row.MemberCount,
        CreatedAt = row.CreatedAt, UpdatedAt = row.UpdatedAt, Version = row.Version,
    };
}

/// <summary>GET /v1/manage/group/{id}: the group with its members.</summary>
public sealed record GroupDetailsResponse : GroupResponse
{
    public IReadOnlyList<GroupMemberResponse> Members { get; init; } = [];

    public static GroupDetailsResponse From(GroupRow row, IReadOnlyList<GroupMemberRow> members) =>
        Fill(new GroupDetailsResponse { Members = members.Select(m => new GroupMemberResponse(m.UserId, m.Email, m.Role, m.AddedAt)).ToArray() }, row);
}

public sealed record GroupMemberResponse(Guid UserId, string Email, string Role, DateTime AddedAt);

public sealed record GroupListResponse(IReadOnlyList<GroupResponse> Groups);
