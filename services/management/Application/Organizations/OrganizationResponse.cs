namespace Requesty.Management.Application.Organizations;

/// <summary>GET /v1/manage/org.</summary>
/// <param name="Id">Organisation id.</param>
/// <param name="Name">Display name.</param>
/// <param name="Balance">Prepaid credit in USD. A self-hosted gateway has no credit ledger yet, so this is 0.</param>
/// <param name="SpendThisMonth">USD spent by all of the organisation's keys in the current calendar month (UTC).</param>
/// <param name="CreatedAt">When the organisation was created (UTC).</param>
public sealed record OrganizationResponse(Guid Id, string Name, decimal Balance, decimal SpendThisMonth, DateTime CreatedAt);
