using System.Text.Json.Serialization;

namespace Requesty.Management.Application.Users;

/// <summary>POST /v1/manage/user. monthly_limit omitted = the organisation's default for new users; null = no limit.</summary>
public sealed class CreateUserRequest
{
    private decimal? _monthlyLimit;

    public string? Email { get; set; }
    /// <summary>"admin" or "member".</summary>
    public string? Role { get; set; }
    /// <summary>USD per calendar month (UTC).</summary>
    public decimal? MonthlyLimit { get => _monthlyLimit; set { _monthlyLimit = value; MonthlyLimitGiven = true; } }

    [JsonIgnore] public bool MonthlyLimitGiven { get; private set; }
}

/// <summary>PATCH /v1/manage/user/{id}: only the fields sent change; "monthly_limit": null removes the limit.</summary>
public sealed class UpdateUserRequest
{
    private decimal? _monthlyLimit;

    public string? Role { get; set; }
    public decimal? MonthlyLimit { get => _monthlyLimit; set { _monthlyLimit = value; MonthlyLimitGiven = true; } }

    [JsonIgnore] public bool MonthlyLimitGiven { get; private set; }
}
