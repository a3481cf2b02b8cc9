using Requesty.Contracts.Events;
using Requesty.Router.Accounting;
using Requesty.Router.Catalog;
using Requesty.Router.Providers;

namespace Requesty.Router.Pipeline;

/// <summary>
/// The dispatch and account stages shared by every chat-style endpoint: send the request to the
/// model's provider, relay the answer to the client's output (or the error in the client's
/// format), then price the usage.
/// </summary>
public sealed class ChatDispatcher(ProviderDirectory endpoints, ChatCompletionsProviders providers, RouterOptions options, TimeProvider time, ILogger<ChatDispatcher> logger)
{
    /// <summary>The chat provider for a model, when its provider is configured and speaks chat.</summary>
    public bool TryGetProvider(CatalogModel model, out IChatCompletionsProvider provider) =>
        providers.TryGet(model.Provider, out provider) && endpoints.TryGet(model.Provider, out _);

    public async Task DispatchAsync(CatalogModel model, IUpstreamExchange exchange, IClientErrors errors, HttpResponse response,
        RequestRecord record, IReadOnlyList<(string Role, string Text)> conversation, CancellationToken cancellationToken)
    {
        if (!endpoints.TryGet(model.Provider, out var endpoint))
        {
            var message = $"The provider '{model.Provider}' is not configured.";
            record.Fail(400, "provider_not_supported", message);
            await errors.WriteAsync(response, 400, "provider_not_supported", message, "model");
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
            await errors.WriteAsync(response, status, kind, message);
            return;
        }

        using (upstream)
        {
            if (!upstream.IsSuccessStatusCode)
            {
                var status = (int)upstream.StatusCode;
                record.Attempts.Add(Attempt(model, status, UpstreamErrors.KindFor(status), attemptStarted));
                await UpstreamErrors.RelayAsync(response, errors, upstream, record, model.Provider, cancellationToken);
                return;
            }

            record.ServedModel = model.Id;
            record.ServedProvider = model.Provider;
            record.Region = model.Region;
            var answer = await exchange.RelayAsync(upstream, record, timeout.Token);
            record.Attempts.Add(Attempt(model, (int)upstream.StatusCode, null, attemptStarted));
            record.CostUsd = CostCalculator.Cost(record.Usage, model.Price);
            record.CostWithoutCacheUsd = CostCalculator.CostWithoutCache(record.Usage, model.Price);
            record.Session = SessionHasher.Compute(conversation, answer);
        }
    }

    private UpstreamAttempt Attempt(CatalogModel model, int status, string? errorKind, DateTimeOffset started) => new()
    {
        Model = model.Id,
        Provider = model.Provider,
        HttpStatus = status,
        ErrorKind = errorKind,
        LatencyMs = (int)(time.GetUtcNow() - started).TotalMilliseconds,
    };
}
