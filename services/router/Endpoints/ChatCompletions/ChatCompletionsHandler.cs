using System.Text.Json.Nodes;
using Requesty.Router.Accounting;
using Requesty.Router.Catalog;
using Requesty.Router.Events;
using Requesty.Router.Pipeline;
using Requesty.Router.Providers;
using Requesty.Router.Providers.OpenAI;

namespace Requesty.Router.Endpoints.ChatCompletions;

/// <summary>
/// POST /v1/chat/completions, top to bottom: authenticate, read the body, resolve the model,
/// dispatch upstream, relay the answer, account. Every authenticated request, failed or not,
/// ends as one RequestCompleted in the journal.
/// </summary>
public sealed class ChatCompletionsHandler(
    CallerAuthenticator authenticator,
    ModelCatalog catalog,
    ProviderDirectory endpoints,
    ChatCompletionsProviders providers,
    RequestEventJournal journal,
    RouterOptions options,
    TimeProvider time,
    ILogger<ChatCompletionsHandler> logger)
{
    public async Task HandleAsync(HttpContext http)
    {
        var cancellationToken = http.RequestAborted;
        var startedAt = time.GetUtcNow().UtcDateTime;
        var requestId = Guid.CreateVersion7();
        http.Response.Headers["x-request-id"] = requestId.ToString();

        var auth = await authenticator.AuthenticateAsync(http.Request, cancellationToken);
        if (auth.Caller is null)
        {
            await OpenAIErrors.WriteAsync(http.Response, auth.Status, OpenAIErrors.TypeFor(auth.Status), auth.Message!, auth.Code);
            return;
        }

        var record = new RequestRecord(requestId, startedAt, auth.Caller, "chat.completions");
        try
        {
            await ServeAsync(http, record, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            record.Fail(499, "client_cancelled", "The client closed the connection.");
        }
        finally
        {
            journal.Append(record.ToEvent(time.GetUtcNow().UtcDateTime));
        }
    }

    private async Task ServeAsync(HttpContext http, RequestRecord record, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadObjectAsync(http.Request, cancellationToken);
        if (body is null)
        {
            await FailAsync(http, record, 400, "invalid_request", "The request body must be a JSON object.", "invalid_json");
            return;
        }

        record.Metadata = RequestyExtension.Extract(body);
        var modelId = JsonBody.String(body["model"]) ?? record.Caller.DefaultModel ?? options.DefaultModel;
        record.RequestedModel = modelId;
        if (!catalog.TryFind(modelId, out var model) || model.Kind != ModelKind.Chat)
        {
            await FailAsync(http, record, 404, "model_not_found", $"The model '{modelId}' does not exist or is not a chat model.", "model_not_found", "model");
            return;
        }
        if (!providers.TryGet(model.Provider, out var provider) || !endpoints.TryGet(model.Provider, out var endpoint))
        {
            await FailAsync(http, record, 400, "invalid_request", $"The provider '{model.Provider}' is not available on /v1/chat/completions yet.", "provider_not_supported", "model");
            return;
        }

        if (body["messages"] is null && JsonBody.String(body["prompt"]) is { } prompt)
        {
            body.Remove("prompt");
            body["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = prompt });
        }
        if (body["messages"] is not JsonArray { Count: > 0 } messages)
        {
            await FailAsync(http, record, 400, "invalid_request", "'messages' must be a non-empty array (or give 'prompt').", "invalid_messages", "messages");
            return;
        }

        record.Stream = JsonBody.Bool(body["stream"]);
        var clientWantsUsage = JsonBody.Bool(body["stream_options"]?["include_usage"]);
        record.ToolsOffered.AddRange(OpenAIToolCalls.Offered(body));
        var conversation = SessionHasher.ReadOpenAIMessages(messages);
        var request = new ChatCompletionRequest(body, model, record.Stream, clientWantsUsage);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.UpstreamTimeout);
        var attemptStarted = time.GetUtcNow();
        HttpResponseMessage upstream;
        try
        {
            upstream = await provider.SendAsync(endpoint, request, timeout.Token);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var (status, kind) = ex is OperationCanceledException ? (504, "timeout") : (502, "upstream_unreachable");
            record.Attempts.Add(Attempt(model, 0, kind, attemptStarted));
            logger.LogWarning("Upstream {Provider} failed for {RequestId}: {Message}", model.Provider, record.RequestId, ex.Message);
            await FailAsync(http, record, status, kind, $"The provider '{model.Provider}' did not answer: {ex.Message}", kind);
            return;
        }

        using (upstream)
        {
            if (!upstream.IsSuccessStatusCode)
            {
                var status = (int)upstream.StatusCode;
                var kind = UpstreamErrors.KindFor(status);
                record.Attempts.Add(Attempt(model, status, kind, attemptStarted));
                await UpstreamErrors.RelayAsync(http.Response, upstream, record, model.Provider, cancellationToken);
                return;
            }

            record.ServedModel = model.Id;
            record.ServedProvider = model.Provider;
            record.Region = model.Region;
            var answer = record.Stream
                ? await provider.RelayStreamAsync(upstream, http.Response, record, request, timeout.Token)
                : await provider.RelayCompletionAsync(upstream, http.Response, record, request, timeout.Token);
            record.Attempts.Add(Attempt(model, (int)upstream.StatusCode, null, attemptStarted));
            record.CostUsd = CostCalculator.Cost(record.Usage, model.Price);
            record.CostWithoutCacheUsd = CostCalculator.CostWithoutCache(record.Usage, model.Price);
            record.Session = SessionHasher.Compute(conversation, answer);
        }
    }

    private static async Task FailAsync(HttpContext http, RequestRecord record, int status, string kind, string message, string code, string? param = null)
    {
        record.Fail(status, kind, message);
        await OpenAIErrors.WriteAsync(http.Response, status, OpenAIErrors.TypeFor(status), message, code, param);
    }

    private Contracts.Events.UpstreamAttempt Attempt(CatalogModel model, int status, string? errorKind, DateTimeOffset started) => new()
    {
        Model = model.Id,
        Provider = model.Provider,
        HttpStatus = status,
        ErrorKind = errorKind,
        LatencyMs = (int)(time.GetUtcNow() - started).TotalMilliseconds,
    };
}
