namespace Requesty.Router.Routing;

/// <summary>What one try of one candidate came to.</summary>
public sealed record AttemptResult(AttemptOutcome Outcome, int Status, string? ErrorKind, string Message, TimeSpan? RetryAfter = null)
{
    public static readonly AttemptResult Succeeded = new(AttemptOutcome.Succeeded, 200, null, "");

    public static AttemptResult Skipped(string reason) => new(AttemptOutcome.Skipped, 0, "skipped", reason);

    /// <summary>A failed upstream answer (status 0 = none arrived), classified for retrying.</summary>
    public static AttemptResult Failed(int status, string kind, string message, TimeSpan? retryAfter = null, bool contentPolicy = false) =>
        new(IsRetryable(status) && !contentPolicy ? AttemptOutcome.Retryable : AttemptOutcome.NextEntry, status, kind, message, retryAfter);

    /// <summary>Timeouts, connection failures, 408, 409, 425, 429 and 5xx may succeed on a retry; other errors will not.</summary>
    public static bool IsRetryable(int status) => status is 0 or 408 or 409 or 425 or 429 or >= 500;
}

public enum AttemptOutcome
{
    Succeeded,
    /// <summary>Worth retrying the same entry (rate limit, 5xx, timeout).</summary>
    Retryable,
    /// <summary>This entry will not succeed (bad request, auth, content policy): next entry at once.</summary>
    NextEntry,
    /// <summary>The entry cannot serve this request (capabilities, provider): not attempted.</summary>
    Skipped,
    /// <summary>The answer broke off after it started reaching the client: the request is over, failed.</summary>
    Broken,
}

/// <summary>How a fallback run ended; <see cref="Trail"/> lists every try and skip for the error summary.</summary>
public sealed record FallbackResult(bool Succeeded, AttemptResult? LastFailure, int UpstreamAttempts, IReadOnlyList<string> Trail);

/// <summary>
/// The fallback chain: each candidate in order, retried per its retries with <see cref="RetryBackoff"/>
/// while failures are retryable, the next candidate as soon as one is not. Stops at the first success.
/// </summary>
public static class FallbackRunner
{
    public static async Task<FallbackResult> RunAsync(
        IReadOnlyList<RouteCandidate> candidates,
        Func<RouteCandidate, CancellationToken, Task<AttemptResult>> attempt,
        RetryBackoff backoff,
        Func<TimeSpan, CancellationToken, Task> delay,
        CancellationToken cancellationToken)
    {
        var trail = new List<string>();
        AttemptResult? lastFailure = null;
        var upstreamAttempts = 0;
        foreach (var candidate in candidates)
        {
            for (var retry = 0; ; retry++)
            {
                var result = await attempt(candidate, cancellationToken);
                if (result.Outcome == AttemptOutcome.Skipped)
                {
                    trail.Add($"{candidate.Model} skipped ({result.Message})");
                    lastFailure ??= result;
                    break;
                }
                upstreamAttempts++;
                if (result.Outcome == AttemptOutcome.Succeeded) return new FallbackResult(true, null, upstreamAttempts, trail);
                if (result.Outcome == AttemptOutcome.Broken) return new FallbackResult(false, result, upstreamAttempts, trail);

                trail.Add($"{candidate.Model} -> {(result.Status == 0 ? result.ErrorKind : result.Status.ToString(System.Globalization.CultureInfo.InvariantCulture))}");
                lastFailure = result;
                if (result.Outcome != AttemptOutcome.Retryable || retry >= candidate.Retries) break;
                await delay(backoff.DelayFor(retry, result.RetryAfter), cancellationToken);
            }
        }
        return new FallbackResult(false, lastFailure, upstreamAttempts, trail);
    }
}
