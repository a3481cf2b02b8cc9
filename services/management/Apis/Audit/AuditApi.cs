using Requesty.Management.Apis.Security;
using Requesty.Management.Application.Audit;

namespace Requesty.Management.Apis.Audit;

/// <summary>/v1/manage/audit: every change made to the organisation, from the event log.</summary>
public static class AuditApi
{
    public static RouteGroupBuilder MapAuditApi(this RouteGroupBuilder manage)
    {
        manage.MapGet("/audit", List).WithTags("Audit log").RequireAdmin()
            .Produces<AuditPage>().ProducesValidationProblem()
            .WithSummary("List changes (audit log)")
            .WithDescription("Who changed what and when, oldest first. Filters: stream_type, stream_id, actor ('api_key:<id>' or the key id), "
                + "event_type, from (inclusive), to (exclusive). Page with after=<next_after of the previous page> and limit (1-500, default 100). "
                + "Key hashes and key material are never shown. Admins only.");
        return manage;
    }

    private static async Task<IResult> List(HttpContext http, AuditLog log, CancellationToken ct)
    {
        var query = AuditQuery.Parse(http.Request.Query, out var errors);
        if (query is null) return Results.ValidationProblem(errors, title: "The request is invalid.");
        return TypedResults.Ok(await log.ReadAsync(http.Caller().OrganizationId, query, ct));
    }
}
