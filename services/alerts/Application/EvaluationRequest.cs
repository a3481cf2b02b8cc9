using Requesty.Contracts.Events;

namespace Requesty.Alerts.Application;

/// <summary>What an alert evaluation needs of one completed request (kept for deferred evaluations too).</summary>
public sealed record EvaluationRequest(Guid RequestId, RequestCaller Caller, DateTime CompletedAt)
{
    public static EvaluationRequest From(RequestCompleted request) => new(request.RequestId, request.Caller, request.CompletedAt);
}
