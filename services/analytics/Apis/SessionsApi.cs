using Requesty.Analytics.Application.Access;
using Requesty.Analytics.Application.Queries;
using Requesty.Analytics.Application.Queries.Common;
using Requesty.Analytics.Application.Queries.Sessions;

namespace Requesty.Analytics.Apis;

/// <summary>GET /sessions and /sessions/{id}: automatically reconstructed conversations (no client session id).</summary>
public static class SessionsApi
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;
    /// <summary>How far after its first request /sessions/{id} looks for the rest of a session when no range is given.</summary>
    public static readonly TimeSpan DefaultThreadWindow = TimeSpan.FromDays(7);

    public static RouteGroupBuilder MapSessionsApi(this RouteGroupBuilder group)
    {
        group.MapGet("/sessions", ListAsync)
            .WithName("ListSessions")
            .WithSummary("Sessions that started in [from, to), newest first, with totals. Filters: filter.<field>=v1,v2.")
            .Produces<SessionListResponse>()
            .ProducesValidationProblem();
        group.MapGet("/sessions/{id}", GetAsync)
            .WithName("GetSession")
            .WithSummary("The session of a request (session id = its first request's id) as an ordered thread with totals; from/to optional (default: 7 days from its start).")
            .Produces<SessionThread>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    private static async Task<IResult> ListAsync(HttpRequest request, SessionQueries sessions, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var scope = QueryParameters.ParseScope(request, ["limit"], errors);
        var limit = DefaultLimit;
        if (request.Query.ContainsKey("limit") && (!int.TryParse(request.Query["limit"], out limit) || limit is < 1 or > MaxLimit))
            errors.Add("limit", $"limit must be an integer between 1 and {MaxLimit}.");
        if (errors.Any) return Results.ValidationProblem(errors.ToDictionary());

        var threads = await sessions.ReconstructAsync(scope!, cancellationToken);
        if (threads is null) return TooManyRequests();
        var list = threads.Select(t => t.Summary).OrderByDescending(s => s.StartedAt).ThenBy(s => s.SessionId).ToList();
        return Results.Ok(new SessionListResponse(scope!.OrganizationId, scope.From, scope.To, list.Count, [.. list.Take(limit)]));
    }

    private static async Task<IResult> GetAsync(
        string id, HttpRequest request, SessionQueries sessions, AnalyticsQueries requests, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (!Guid.TryParse(id, out var sessionId)) errors.Add("id", "The session id must be a UUID.");
        foreach (var key in request.Query.Keys.Where(k => k is not ("org_id" or "from" or "to")))
            errors.Add(key, "Unknown parameter. Allowed: org_id, from, to.");
        var caller = AnalyticsCaller.Of(request.HttpContext);
        var org = caller.ResolveOrganization(request.Query["org_id"], errors);
        var hasRange = request.Query.ContainsKey("from") || request.Query.ContainsKey("to");
        var range = hasRange ? errors.ParseRange(request.Query["from"], request.Query["to"]) : null;
        if (errors.Any) return Results.ValidationProblem(errors.ToDictionary());

        if (range is null)
        {
            var first = await requests.FindRequestAsync(sessionId, org, caller.Access, cancellationToken);
            if (first is null) return NotFound(sessionId);
            var start = RequestScope.ParseBucket(first.StartedAt);
            range = (start, start + DefaultThreadWindow);
        }
        var threads = await sessions.ReconstructAsync(new RequestScope(org, range.Value.From, range.Value.To, []) { Access = caller.Access }, cancellationToken);
        if (threads is null) return TooManyRequests();
        // A request id inside a session finds the whole session (within the range) too.
        var thread = threads.FirstOrDefault(t => t.Summary.SessionId == sessionId)
            ?? threads.FirstOrDefault(t => t.Requests.Any(r => r.RequestId == sessionId));
        return thread is null ? NotFound(sessionId) : Results.Ok(thread);
    }

    private static IResult NotFound(Guid id) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"No session {id} starts in the range.");

    private static IResult TooManyRequests() => Results.ValidationProblem(
        new Dictionary<string, string[]> { ["from"] = [$"The range holds more than {SessionQueries.MaxRequests} requests; narrow it or add filters."] });
}

public sealed record SessionListResponse(Guid OrgId, DateTime From, DateTime To, int TotalSessions, IReadOnlyList<SessionSummary> Sessions);
