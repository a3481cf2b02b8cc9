using System.Text.Json.Nodes;
using MassTransit;
using Requesty.Contracts.Events;
using Requesty.Router.Pipeline;

namespace Requesty.Router.Endpoints.Feedback;

/// <summary>
/// POST /feedback/{requestId} with {"data":{...}}: feedback on one of the caller's organisation's
/// requests, merged into earlier feedback by analytics (later keys overwrite). The id is the one
/// the answer carried: the request id, or a message id "msg_..." that contains it.
/// </summary>
public static class FeedbackEndpoints
{
    private static readonly IClientErrors Errors = OpenAIClientErrors.Instance;

    public static IEndpointRouteBuilder MapFeedback(this IEndpointRouteBuilder app)
    {
        app.MapPost("/feedback/{requestId}", SubmitAsync).WithTags("Feedback").WithSummary("Adds feedback to a completed request");
        app.MapPost("/v1/feedback/{requestId}", SubmitAsync).WithTags("Feedback").WithSummary("Adds feedback to a completed request");
        return app;
    }

    private static async Task SubmitAsync(string requestId, HttpContext http, CallerAuthenticator authenticator, RecentRequests recent,
        AnalyticsRequestsClient analytics, IBus bus, TimeProvider time, ILoggerFactory loggers)
    {
        var cancellationToken = http.RequestAborted;
        var auth = await authenticator.AuthenticateAsync(http.Request, cancellationToken);
        if (auth.Caller is not { } caller)
        {
            await Errors.WriteAsync(http.Response, auth.Status, auth.Code!, auth.Message!);
            return;
        }
        if (ParseRequestId(requestId) is not { } id)
        {
            await Errors.WriteAsync(http.Response, 400, "invalid_request_id", $"'{requestId}' is not a request id.", "requestId");
            return;
        }
        var body = await JsonBody.ReadObjectAsync(http.Request, cancellationToken);
        if (body?["data"] is not JsonObject data)
        {
            await Errors.WriteAsync(http.Response, 400, "invalid_feedback", "The body must be a JSON object with a 'data' object.", "data");
            return;
        }

        bool owned;
        try
        {
            owned = recent.TryGetOrganization(id, out var organization)
                ? organization == caller.OrganizationId
                : await analytics.BelongsToAsync(id, caller.OrganizationId, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            loggers.CreateLogger(typeof(FeedbackEndpoints)).LogWarning("Feedback ownership check failed: {Message}", ex.Message);
            await Errors.WriteAsync(http.Response, 503, "analytics_unavailable", "The request could not be looked up right now; try again.");
            return;
        }
        if (!owned)
        {
            // Another organisation's request looks exactly like an unknown one.
            await Errors.WriteAsync(http.Response, 404, "request_not_found", $"No request '{requestId}' was found for this API key's organisation.");
            return;
        }

        var feedback = new FeedbackSubmitted
        {
            RequestId = id,
            OrganizationId = caller.OrganizationId,
            ApiKeyId = caller.ApiKeyId,
            Data = data.ToJsonString(),
            SubmittedAt = time.GetUtcNow().UtcDateTime,
        };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            await bus.Publish(feedback, timeout.Token);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            loggers.CreateLogger(typeof(FeedbackEndpoints)).LogWarning("Publishing feedback failed: {Message}", ex.Message);
            await Errors.WriteAsync(http.Response, 503, "feedback_unavailable", "Feedback could not be recorded right now; try again.");
            return;
        }
        await http.Response.WriteAsJsonAsync(new JsonObject { ["status"] = "ok", ["request_id"] = id.ToString() }, cancellationToken);
    }

    /// <summary>A GUID in any common format, also inside "msg_..." or "chatcmpl-..." ids.</summary>
    public static Guid? ParseRequestId(string value)
    {
        var bare = value.StartsWith("msg_", StringComparison.Ordinal) ? value[4..]
            : value.StartsWith("chatcmpl-", StringComparison.Ordinal) ? value[9..]
            : value.StartsWith("resp_", StringComparison.Ordinal) ? value[5..]
            : value;
        return Guid.TryParse(bare, out var id) ? id : null;
    }
}
