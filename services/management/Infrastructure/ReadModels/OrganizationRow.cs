namespace Requesty.Management.Infrastructure.ReadModels;

public sealed record OrganizationRow(
    Guid Id,
    string Name,
    DateTime CreatedAt,
    long Version,
    string? DefaultModel = null,
    decimal? DefaultUserMonthlyLimit = null,
    string BillingMode = "postpaid",
    decimal CreditsUsd = 0m);
