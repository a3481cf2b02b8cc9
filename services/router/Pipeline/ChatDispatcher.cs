using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Requesty.Contracts.Events;
using Requesty.Router.Accounting;
using Requesty.Router.Byok;
using Requesty.Router.Catalog;
using Requesty.Router.Providers;
using Requesty.Router.Routing;

namespace Requesty.Router.Pipeline;

/// <summary>
/// The dispatch and account stages shared by every chat-style endpoint: send the request to the
/// model's provider (or, for "policy/&lt;name&gt;", to the policy's models in turn with retries), relay
/// the answer to the client's output (or the error in the client's format), then price the usage.
/// Route-explain headers (x-requesty-model, -provider, -attempts, and -policy) go on every answer.
/// </summary>
public sealed class ChatDispatcher(
    ProviderDirectory endpoints,
    ChatCompletionsProviders providers,
    ModelCatalog catalog,
    RoutePlanner planner,
    OwnKeyRing ownKeys,
    LatencyTracker latency,
    RetryBackoff backoff,
    RoutingOptions routing,
    RouterOptions options,
    TimeProvider time,
    ILogger<ChatDispatcher> logger)
{
    /// <summary>The chat provider for a model, when its provider is configured and speaks chat.</summary>
    public bool TryGetProvider(CatalogModel model, out IChatCompletionsProvider provider) =>
        providers.TryGet(model.Provider, out provider) && endpoints.TryGet(model.Provider, out _);

    /// <summary>The models "policy/<paramref name="policyName"/>" will try for this request; false when the caller has no such policy.</summary>
    public bool TryPlan(RequestRecord record, string policyName, out RoutePlan plan) =>
        planner.TryPlan(record.Caller.OrganizationId, record.Caller.ApiKeyId, policyName,
            record.Metadata.TraceId is { Length: > 0 } traceId ? traceId : record.RequestId.ToString(), out plan);

    public async Task DispatchAsync(CatalogModel model, IUpstreamExchange exchange, IClientErrors errors, HttpResponse response,
        RequestRecord record, Conversation conversation, CancellationToken cancellationToken)
    {
        if (!endpoints.TryGet(model.Provider, out var endpoint))
        {
            var message = $"The provider '{model.Provider}' is not configured.";
            record.Fail(400, "provider_not_supported", message);
            await errors.WriteAsync(response, 400, "provider_not_supported", message, "model");
            return;
        }
        if (!endpoint.HasPlatformKey)
        {
            var message = $"This gateway has no key of its own for the provider '{model.Provider}': set Providers:{model.Provider}:ApiKey, "
                + "or call a policy whose entry uses your organisation's own key (key_source byok).";
            record.Fail(400, "provider_not_configured", message);
            await errors.WriteAsync(response, 400, "provider_not_configured", message, "model");
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.UpstreamTimeout);
        var attemptStarted = time.GetUtcNow();
        HttpResponseMessage upstream;
        try
        {
            upstream = await exchange.SendAsync(endpoint, timeout.Token);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var (status, kind) = ex is OperationCanceledException ? (504, "timeout") : (502, "upstream_unreachable");
            record.Attempts.Add(Attempt(model, 0, kind, attemptStarted));
            logger.LogWarning("Upstream {Provider} failed for {RequestId}: {Message}", model.Provider, record.RequestId, ex.Message);
            var message = $"The provider '{model.Provider}' did not answer: {ex.Message}";
            record.Fail(status, kind, message);
            ExplainRoute(response, null, model, record.Attempts.Count);
            await errors.WriteAsync(response, status, kind, message);
            return;
        }

        using (upstream)
        {
            if (!upstream.IsSuccessStatusCode)
            {
                var status = (int)upstream.StatusCode;
                record.Attempts.Add(Attempt(model, status, UpstreamErrors.KindFor(status), attemptStarted));
                ExplainRoute(response, null, model, record.Attempts.Count);
                await UpstreamErrors.RelayAsync(response, errors, upstream, record, model.Provider, cancellationToken);
                return;
            }

            ExplainRoute(response, null, model, record.Attempts.Count + 1);
            var relayed = await RelaySuccessAsync(model, exchange, upstream, record, conversation, response, attemptStarted, timeout.Token, cancellationToken);
            if (relayed.Outcome != AttemptOutcome.Succeeded && !response.HasStarted)
            {
                record.Fail(StatusFor(relayed), relayed.ErrorKind!, relayed.Message);
                await errors.WriteAsync(response, StatusFor(relayed), relayed.ErrorKind!, relayed.Message);
            }
        }
    }

    private static int StatusFor(AttemptResult broken) => broken.ErrorKind == "timeout" ? 504 : 502;

    /// <summary>
    /// A policy request: the plan's models in order, each retried per its entry while failures are
    /// retryable. Failover happens only before anything reached the client (an upstream answers
    /// with an error or not at all); once a success is being relayed, the request is committed.
    /// </summary>
    public async Task DispatchRouteAsync(RoutePlan plan, RouteRequirements needs, Func<CatalogModel, IUpstreamExchange?> exchangeFor,
        IClientErrors errors, HttpResponse response, RequestRecord record, Conversation conversation,
        CancellationToken cancellationToken)
    {
        var result = await FallbackRunner.RunAsync(
            plan.Candidates,
            (candidate, ct) => AttemptAsync(plan, candidate, needs, exchangeFor, response, record, conversation, ct),
            backoff,
            (delay, ct) => Task.Delay(delay, time, ct),
            cancellationToken);
        if (result.Succeeded || result.LastFailure?.Outcome == AttemptOutcome.Broken) return;

        var last = result.LastFailure;
        var summary = result.Trail.Count == 0 ? "the policy has no usable entries" : string.Join("; ", result.Trail);
        ExplainRoute(response, plan.PolicyName, null, record.Attempts.Count);
        if (last is null || result.UpstreamAttempts == 0)
        {
            var message = $"No entry of policy/{plan.PolicyName} can serve this request: {summary}.";
            record.Fail(400, "no_eligible_model", message);
            await errors.WriteAsync(response, 400, "no_eligible_model", message, "model");
            return;
        }

        // The provider rejected the platform's credentials, not the caller's: our fault, not the client's.
        var clientStatus = last.Status switch { 0 => last.ErrorKind == "timeout" ? 504 : 502, 401 or 403 => 502, _ => last.Status };
        var failure = $"{last.Message} (policy/{plan.PolicyName}: all {result.UpstreamAttempts} attempts failed: {summary})";
        if (last.RetryAfter is { } retryAfter) response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        record.Fail(clientStatus, last.ErrorKind ?? "upstream_error", failure);
        await errors.WriteAsync(response, clientStatus, last.ErrorKind ?? "upstream_error", failure);
    }

    /// <summary>Why a policy entry cannot serve a request with these needs (null: it can be tried).</summary>
    public string? WhyNot(RouteCandidate candidate, RouteRequirements needs, Guid organizationId)
    {
        if (!catalog.TryFind(candidate.Model, out var model)) return "not in the catalogue";
        if (needs.Mismatch(model) is { } mismatch) return mismatch;
        if (candidate.KeySource == KeySources.Byok && !ownKeys.TryGet(organizationId, model.Provider, out _)) return "no own key (BYOK) configured";
        if (!endpoints.TryGet(model.Provider, out var endpoint)) return $"provider '{model.Provider}' not configured";
        if (candidate.KeySource != KeySources.Byok && !endpoint.HasPlatformKey) return $"no platform key for provider '{model.Provider}'";
        return null;
    }

    private async Task<AttemptResult> AttemptAsync(RoutePlan plan, RouteCandidate candidate, RouteRequirements needs,
        Func<CatalogModel, IUpstreamExchange?> exchangeFor, HttpResponse response, RequestRecord record,
        Conversation conversation, CancellationToken cancellationToken)
    {
        var reason = WhyNot(candidate, needs, record.Caller.OrganizationId);
        if (reason is not null || !catalog.TryFind(candidate.Model, out var model))
            return AttemptResult.Skipped(reason ?? "not in the catalogue");
        if (!endpoints.TryGet(model.Provider, out var endpoint) || exchangeFor(model) is not { } exchange)
            return AttemptResult.Skipped($"provider '{model.Provider}' cannot serve this request here");
        if (candidate.KeySource == KeySources.Byok && ownKeys.TryGet(record.Caller.OrganizationId, model.Provider, out var ownKey))
            endpoint = endpoint with { ApiKey = ownKey };

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.UpstreamTimeout);
        var attemptStarted = time.GetUtcNow();
        HttpResponseMessage upstream;
        using var firstByte = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        firstByte.CancelAfter(routing.AttemptFirstByteTimeout);
        try
        {
            upstream = await exchange.SendAsync(endpoint, firstByte.Token);
            // Disarmed, not cancelled: the answer's body may still be streaming on this token.
            firstByte.CancelAfter(Timeout.InfiniteTimeSpan);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var kind = ex is OperationCanceledException ? "timeout" : "upstream_unreachable";
            record.Attempts.Add(Attempt(model, 0, kind, attemptStarted, candidate.KeySource));
            logger.LogWarning("Upstream {Provider} failed for {RequestId} (policy/{Policy}): {Message}", model.Provider, record.RequestId, plan.PolicyName, ex.Message);
            return AttemptResult.Failed(0, kind, $"The provider '{model.Provider}' did not answer: {ex.Message}");
        }

        using (upstream)
        {
            if (!upstream.IsSuccessStatusCode)
            {
                var status = (int)upstream.StatusCode;
                var kind = UpstreamErrors.KindFor(status);
                record.Attempts.Add(Attempt(model, status, kind, attemptStarted, candidate.KeySource));
                var (message, contentPolicy) = await ReadErrorAsync(upstream, cancellationToken);
                return AttemptResult.Failed(status, kind, $"{model.Provider}: {message ?? $"the provider answered HTTP {status}."}",
                    RetryAfter(upstream), contentPolicy);
            }

            ExplainRoute(response, plan.PolicyName, model, record.Attempts.Count + 1, candidate.KeySource);
            return await RelaySuccessAsync(model, exchange, upstream, record, conversation, response, attemptStarted, timeout.Token, cancellationToken, candidate.KeySource);
        }
    }

    /// <summary>
    /// Relays a successful answer and prices it. When the upstream breaks off (connection lost, upstream
    /// timeout) the result is a failure: retryable while nothing reached the client, otherwise
    /// <see cref="AttemptOutcome.Broken"/> (the request failed; the truncated answer is all the client gets).
    /// </summary>
    private async Task<AttemptResult> RelaySuccessAsync(CatalogModel model, IUpstreamExchange exchange, HttpResponseMessage upstream, RequestRecord record,
        Conversation conversation, HttpResponse response, DateTimeOffset attemptStarted,
        CancellationToken upstreamToken, CancellationToken clientToken, string keySource = KeySources.Platform)
    {
        record.ServedModel = model.Id;
        record.ServedProvider = model.Provider;
        record.Region = model.Region;
        string? answer;
        try
        {
            answer = await exchange.RelayAsync(upstream, record, upstreamToken);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException || (ex is OperationCanceledException && !clientToken.IsCancellationRequested))
        {
            var kind = ex is OperationCanceledException ? "timeout" : "upstream_error";
            record.Attempts.Add(Attempt(model, (int)upstream.StatusCode, kind, attemptStarted, keySource));
            logger.LogWarning("Upstream {Provider} broke off the answer for {RequestId}: {Message}", model.Provider, record.RequestId, ex.Message);
            var message = $"{model.Provider}: the answer broke off ({(kind == "timeout" ? "upstream timeout" : ex.Message)}).";
            if (!response.HasStarted)
            {
                record.ServedModel = record.ServedProvider = record.Region = null;
                return AttemptResult.Failed(0, kind, message);
            }
            var broken = new AttemptResult(AttemptOutcome.Broken, (int)upstream.StatusCode, kind, message);
            record.Fail(StatusFor(broken), kind, message);
            return broken;
        }
        record.Attempts.Add(Attempt(model, (int)upstream.StatusCode, null, attemptStarted, keySource));
        // Latency routing compares time to first token for streams, total time otherwise.
        var finished = record.Stream && record.FirstTokenAt is { } firstToken ? new DateTimeOffset(firstToken, TimeSpan.Zero) : time.GetUtcNow();
        latency.Record(record.Caller.OrganizationId, model.Id, keySource, finished - attemptStarted);
        // On the organisation's own key the provider bills the organisation: no platform cost, the provider cost is kept.
        var onOwnKey = keySource == KeySources.Byok;
        record.ProviderCostUsd = CostCalculator.Cost(record.Usage, model.Price);
        record.CostUsd = onOwnKey ? 0m : record.ProviderCostUsd.Value;
        record.CostWithoutCacheUsd = onOwnKey ? 0m : CostCalculator.CostWithoutCache(record.Usage, model.Price);
        record.KeepForSessionHashes(conversation, answer);
        return AttemptResult.Succeeded;
    }

    private static void ExplainRoute(HttpResponse response, string? policyName, CatalogModel? model, int attempts, string keySource = KeySources.Platform)
    {
        if (response.HasStarted) return;
        if (policyName is not null) response.Headers["x-requesty-policy"] = policyName;
        if (model is not null)
        {
            response.Headers["x-requesty-model"] = model.Id;
            response.Headers["x-requesty-provider"] = model.Provider;
            response.Headers["x-requesty-key-source"] = keySource;
        }
        response.Headers["x-requesty-attempts"] = attempts.ToString(CultureInfo.InvariantCulture);
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage upstream) =>
        upstream.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - DateTimeOffset.UtcNow,
            _ => null,
        };

    /// <summary>The provider's error message, and whether it is a content-policy refusal (never worth retrying).</summary>
    private static async Task<(string? Message, bool ContentPolicy)> ReadErrorAsync(HttpResponseMessage upstream, CancellationToken cancellationToken)
    {
        try
        {
            var text = await upstream.Content.ReadAsStringAsync(cancellationToken);
            if (text.Length > 8192) text = text[..8192];
            var node = JsonNode.Parse(text);
            var message = JsonBody.String(node?["error"]?["message"]) ?? JsonBody.String(node?["error"]) ?? JsonBody.String(node?["message"]);
            var code = JsonBody.String(node?["error"]?["code"]) ?? JsonBody.String(node?["error"]?["type"]) ?? "";
            return (message, code.Contains("content_policy", StringComparison.OrdinalIgnoreCase) || code.Contains("content_filter", StringComparison.OrdinalIgnoreCase));
        }
        catch (JsonException)
        {
            return (null, false);
        }
    }

    private UpstreamAttempt Attempt(CatalogModel model, int status, string? errorKind, DateTimeOffset started, string keySource = KeySources.Platform) => new()
    {
        Model = model.Id,
        Provider = model.Provider,
        KeySource = keySource,
        HttpStatus = status,
        ErrorKind = errorKind,
        LatencyMs = (int)(time.GetUtcNow() - started).TotalMilliseconds,
    };
}
