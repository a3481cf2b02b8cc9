namespace Requesty.Management.Application.Organizations;

/// <summary>GET /v1/manage/org.</summary>
/// <param name="Id">Organisation id.</param>
/// <param name="Name">Display name.</param>
/// <param name="Balance">Credits added minus everything ever spent, in USD (negative for a postpaid organisation that spent more than its credits).</param>
/// <param name="BillingMode">"prepaid" (requests are refused once the balance is zero or less) or "postpaid".</param>
/// <param name="DefaultModel">Model used when a request names none; null for the router's default.</param>
/// <param name="DefaultUserMonthlyLimit">Monthly spend limit in USD suggested for new users; null for none.</param>
/// <param name="SpendThisMonth">USD spent by all of the organisation's keys in the current calendar month (UTC).</param>
/// <param name="CreatedAt">When the organisation was created (UTC).</param>
public sealed record OrganizationResponse(
    Guid Id,
    string Name,
    decimal Balance,
    string BillingMode,
    string? DefaultModel,
    decimal? DefaultUserMonthlyLimit,
    decimal SpendThisMonth,
    DateTime CreatedAt);

/// <summary>
/// PATCH /v1/manage/org: only the fields present change; default_model and default_user_monthly_limit
/// may be null to remove them.
/// </summary>
public sealed record UpdateOrganizationRequest(
    string? Name,
    bool HasName,
    string? DefaultModel,
    bool HasDefaultModel,
    decimal? DefaultUserMonthlyLimit,
    bool HasDefaultUserMonthlyLimit,
    string? BillingMode,
    bool HasBillingMode);

/// <summary>POST /v1/manage/org/credits.</summary>
public sealed record AddCreditsRequest(decimal? AmountUsd, string? Note);
