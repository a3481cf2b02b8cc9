using System.Text.Json.Serialization;

namespace Requesty.Management.Application.Groups;

/// <summary>POST /v1/manage/group.</summary>
public sealed record CreateGroupRequest(string? Name, string? Description, decimal? MonthlyBudget, decimal? MemberMonthlyLimit = null);

/// <summary>PATCH /v1/manage/group/{id}: only the fields sent change; null clears description or budget.</summary>
public sealed class UpdateGroupRequest
{
    private string? _description;
    private decimal? _monthlyBudget;
    private decimal? _memberMonthlyLimit;

    public string? Name { get; set; }
    public string? Description { get => _description; set { _description = value; DescriptionGiven = true; } }
    /// <summary>USD per calendar month (UTC); null = none.</summary>
    public decimal? MonthlyBudget { get => _monthlyBudget; set { _monthlyBudget = value; MonthlyBudgetGiven = true; } }
    /// <summary>USD per calendar month (UTC) each member may spend; null = none.</summary>
    public decimal? MemberMonthlyLimit { get => _memberMonthlyLimit; set { _memberMonthlyLimit = value; MemberMonthlyLimitGiven = true; } }

    [JsonIgnore] public bool DescriptionGiven { get; private set; }
    [JsonIgnore] public bool MonthlyBudgetGiven { get; private set; }
    [JsonIgnore] public bool MemberMonthlyLimitGiven { get; private set; }
}

/// <summary>POST /v1/manage/group/{id}/member; role defaults to "member".</summary>
public sealed record AddGroupMemberRequest(Guid? UserId, string? Role);

/// <summary>PUT/PATCH /v1/manage/group/{id}/member/{userId}.</summary>
public sealed record UpdateGroupMemberRequest(string? Role);
