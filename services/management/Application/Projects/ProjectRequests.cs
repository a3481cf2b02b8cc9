using System.Text.Json.Serialization;

namespace Requesty.Management.Application.Projects;

/// <summary>POST /v1/manage/project (a shared project; admins only).</summary>
public sealed record CreateProjectRequest(string? Name, decimal? MonthlyLimit);

/// <summary>PATCH /v1/manage/project/{id}: only the fields sent change; "monthly_limit": null removes the limit.</summary>
public sealed class UpdateProjectRequest
{
    private decimal? _monthlyLimit;

    public string? Name { get; set; }
    public decimal? MonthlyLimit { get => _monthlyLimit; set { _monthlyLimit = value; MonthlyLimitGiven = true; } }

    [JsonIgnore] public bool MonthlyLimitGiven { get; private set; }
}

/// <summary>A project: "private" (one per user, owner_user_id set) or "shared" (created by admins).</summary>
public sealed record ProjectResponse(
    Guid Id, string Name, string Kind, Guid? OwnerUserId, decimal? MonthlyLimit, int ApiKeyCount,
    DateTime CreatedAt, DateTime UpdatedAt, long Version)
{
    public static ProjectResponse From(ProjectRow row) =>
        new(row.Id, row.Name, row.Kind, row.OwnerUserId, row.MonthlyLimit, row.LiveKeyCount, row.CreatedAt, row.UpdatedAt, row.Version);
}

public sealed record ProjectListResponse(IReadOnlyList<ProjectResponse> Projects);
