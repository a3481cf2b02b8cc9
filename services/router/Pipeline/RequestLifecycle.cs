using Requesty.Router.Events;

namespace Requesty.Router.Pipeline;

/// <summary>
/// What every billable request goes through around its endpoint's own work: a request id,
/// authentication (errors in the endpoint's format), and exactly one RequestCompleted in the
/// journal afterwards, whether it succeeded, failed or the client went away.
/// </summary>
public sealed class RequestLifecycle(
    CallerAuthenticator authenticator, RequestEventJournal journal, RecentRequests recent, TimeProvider time, Budget.BudgetGate budget,
    ILogger<RequestLifecycle> logger)
{
    public async Task RunAsync(HttpContext http, string endpoint, IClientErrors errors, Func<RequestRecord, CancellationToken, Task> serve)
    {
        var cancellationToken = http.RequestAborted;
        var startedAt = time.GetUtcNow().UtcDateTime;
        var requestId = Guid.CreateVersion7();
        http.Response.Headers["x-request-id"] = requestId.ToString();

        var auth = await authenticator.AuthenticateAsync(http.Request, cancellationToken);
        if (auth.Caller is null)
        {
            await errors.WriteAsync(http.Response, auth.Status, auth.Code!, auth.Message!);
            return;
        }

        var record = new RequestRecord(requestId, startedAt, auth.Caller, endpoint);
        recent.Remember(requestId, auth.Caller.OrganizationId);
        try
        {
            if (!await budget.AdmitAsync(http, record, errors, cancellationToken)) return;
            await serve(record, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            record.Fail(499, "client_cancelled", "The client closed the connection.");
        }
        catch (BadHttpRequestException ex)
        {
            // The body could not be read: a chunked body crossed the size limit (the body-limit middleware answers 413)
            // or the client sent a broken one (Kestrel answers 400).
            record.Fail(ex.StatusCode, ex.StatusCode == StatusCodes.Status413PayloadTooLarge ? "request_too_large" : "bad_request", ex.Message);
            throw;
        }
        catch (Exception ex)
        {
            // A fault of the router's own: the event says so (it is not billed as a success), and the client gets an
            // error in its API's format if nothing was sent yet; a stream already under way is cut off instead.
            logger.LogError(ex, "Request {RequestId} on {Endpoint} failed", requestId, endpoint);
            record.Fail(500, "internal_error", "The router failed to handle the request.");
            if (http.Response.HasStarted) throw;
            await errors.WriteAsync(http.Response, 500, "internal_error", $"The router failed to handle the request (request id {requestId}).");
        }
        finally
        {
            journal.Append(record, time.GetUtcNow().UtcDateTime);
        }
    }
}
