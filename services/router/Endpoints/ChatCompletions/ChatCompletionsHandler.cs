using System.Text.Json.Nodes;
using Requesty.Router.Catalog;
using Requesty.Router.Events;
using Requesty.Router.Pipeline;
using Requesty.Router.Providers;
using Requesty.Router.Providers.OpenAI;

namespace Requesty.Router.Endpoints.ChatCompletions;

/// <summary>
/// POST /v1/chat/completions, top to bottom: authenticate, read the body, resolve the model,
/// dispatch upstream and relay, account. Every authenticated request, failed or not, ends as
/// one RequestCompleted in the journal.
/// </summary>
public sealed class ChatCompletionsHandler(
    CallerAuthenticator authenticator,
    ModelCatalog catalog,
    ChatDispatcher dispatcher,
    RequestEventJournal journal,
    RouterOptions options,
    TimeProvider time)
{
    private static readonly IClientErrors Errors = OpenAIClientErrors.Instance;

    public async Task HandleAsync(HttpContext http)
    {
        var cancellationToken = http.RequestAborted;
        var startedAt = time.GetUtcNow().UtcDateTime;
        var requestId = Guid.CreateVersion7();
        http.Response.Headers["x-request-id"] = requestId.ToString();

        var auth = await authenticator.AuthenticateAsync(http.Request, cancellationToken);
        if (auth.Caller is null)
        {
            await Errors.WriteAsync(http.Response, auth.Status, auth.Code!, auth.Message!);
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
            await FailAsync(http, record, 400, "invalid_json", "The request body must be a JSON object.");
            return;
        }

        record.Metadata = RequestyExtension.Extract(body);
        var modelId = JsonBody.String(body["model"]) ?? record.Caller.DefaultModel ?? options.DefaultModel;
        record.RequestedModel = modelId;
        if (!catalog.TryFind(modelId, out var model) || model.Kind != ModelKind.Chat)
        {
            await FailAsync(http, record, 404, "model_not_found", $"The model '{modelId}' does not exist or is not a chat model.", "model");
            return;
        }
        if (!dispatcher.Supports(model))
        {
            await FailAsync(http, record, 400, "provider_not_supported", $"The provider '{model.Provider}' is not available on /v1/chat/completions.", "model");
            return;
        }

        if (body["messages"] is null && JsonBody.String(body["prompt"]) is { } prompt)
        {
            body.Remove("prompt");
            body["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = prompt });
        }
        if (body["messages"] is not JsonArray { Count: > 0 } messages)
        {
            await FailAsync(http, record, 400, "invalid_messages", "'messages' must be a non-empty array (or give 'prompt').", "messages");
            return;
        }

        record.Stream = JsonBody.Bool(body["stream"]);
        record.ToolsOffered.AddRange(OpenAIToolCalls.Offered(body));
        var output = new OpenAIChatOutput(http.Response, clientWantsUsage: JsonBody.Bool(body["stream_options"]?["include_usage"]));
        var request = new ChatCompletionRequest(body, model, record.Stream);
        await dispatcher.DispatchAsync(request, output, Errors, http.Response, record, SessionHasher.ReadOpenAIMessages(messages), cancellationToken);
    }

    private static async Task FailAsync(HttpContext http, RequestRecord record, int status, string code, string message, string? param = null)
    {
        record.Fail(status, code, message);
        await Errors.WriteAsync(http.Response, status, code, message, param);
    }
}
