using Requesty.Management.Apis.Security;
using Requesty.Management.Application;
using Requesty.Management.Application.Organizations;
using Requesty.Management.Application.Spend;
using Requesty.Management.Infrastructure.ReadModels;

namespace Requesty.Management.Apis;

/// <summary>/v1/manage/org: the caller's organisation.</summary>
public static class OrganizationApi
{
    public static RouteGroupBuilder MapOrganizationApi(this RouteGroupBuilder manage)
    {
        manage.MapGet("/org", Get).WithTags("Organization").Produces<OrganizationResponse>()
            .WithSummary("Get your organisation").WithDescription("Name, creation time, balance and this month's spend.");
        return manage;
    }

    private static async Task<IResult> Get(
        HttpContext http, OrganizationReadModel organizations, SpendLedger spend, TimeProvider time, CancellationToken ct)
    {
        var organizationId = http.Caller().OrganizationId;
        var organization = await organizations.FindAsync(organizationId, ct)
            ?? throw new ResourceNotFoundException("Organization", organizationId);
        var spendThisMonth = await spend.OrganizationMonthSpendAsync(organizationId, time.GetUtcNow().UtcDateTime, ct);
        return TypedResults.Ok(new OrganizationResponse(organization.Id, organization.Name, 0m, spendThisMonth, organization.CreatedAt));
    }
}
