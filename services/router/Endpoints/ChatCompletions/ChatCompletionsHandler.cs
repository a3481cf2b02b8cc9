using System.Text.Json.Nodes;
using Requesty.Router.Catalog;
using Requesty.Router.Pipeline;
using Requesty.Router.Pipeline.Validation;
using Requesty.Router.Providers;
using Requesty.Router.Providers.OpenAI;
using Requesty.Router.Routing;

namespace Requesty.Router.Endpoints.ChatCompletions;

/// <summary>
/// POST /v1/chat/completions, top to bottom: read the body, resolve the model, dispatch upstream
/// and relay in OpenAI's format. Authentication and the RequestCompleted event come from the
/// request lifecycle around it.
/// </summary>
public sealed class ChatCompletionsHandler(RequestLifecycle lifecycle, ModelCatalog catalog, ChatDispatcher dispatcher, RouterOptions options)
{
    private static readonly IClientErrors Errors = OpenAIClientErrors.Instance;

    public Task HandleAsync(HttpContext http) =>
        lifecycle.RunAsync(http, "chat.completions", Errors, (record, cancellationToken) => ServeAsync(http, record, cancellationToken));

    private async Task ServeAsync(HttpContext http, RequestRecord record, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadObjectAsync(http.Request, cancellationToken);
        if (body is null)
        {
            await FailAsync(http, record, 400, "invalid_json", "The request body must be a JSON object.");
            return;
        }
        if (ChatCompletionsRequestRules.Check(body) is { } badShape)
        {
            await FailAsync(http, record, 400, badShape.Code, badShape.Message, badShape.Param);
            return;
        }

        record.Metadata = RequestyExtension.Extract(body);
        var modelId = JsonBody.String(body["model"]) ?? record.Caller.DefaultModel ?? options.DefaultModel;
        record.RequestedModel = modelId;
        if (RoutePlanner.IsPolicy(modelId))
        {
            await ServePolicyAsync(http, record, body, modelId[RoutePlanner.Prefix.Length..], cancellationToken);
            return;
        }
        if (!catalog.TryFind(modelId, out var model) || model.Kind != ModelKind.Chat)
        {
            await FailAsync(http, record, 404, "model_not_found", $"The model '{modelId}' does not exist or is not a chat model.", "model");
            return;
        }
        if (!dispatcher.TryGetProvider(model, out var provider))
        {
            await FailAsync(http, record, 400, "provider_not_supported", $"The provider '{model.Provider}' is not available on /v1/chat/completions.", "model");
            return;
        }
        if (ModelContentRules.CheckChat(body, model) is { } unsupported)
        {
            await FailAsync(http, record, 400, unsupported.Code, unsupported.Message, unsupported.Param);
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
        var output = new OpenAIChatOutput(http.Response, clientWantsUsage: JsonBody.Bool(body["stream_options"]?["include_usage"]), record.RequestId);
        var exchange = new ChatProviderExchange(provider, new ChatCompletionRequest(body, model, record.Stream), output);
        await dispatcher.DispatchAsync(model, exchange, Errors, http.Response, record, SessionHasher.ReadOpenAIMessages(messages), cancellationToken);
    }

    /// <summary>"policy/&lt;name&gt;": the policy's models in turn; content rules and capabilities are checked per model.</summary>
    private async Task ServePolicyAsync(HttpContext http, RequestRecord record, JsonObject body, string policyName, CancellationToken cancellationToken)
    {
        if (!dispatcher.TryPlan(record, policyName, out var plan))
        {
            await FailAsync(http, record, 404, "model_not_found", $"The policy 'policy/{policyName}' does not exist for this API key.", "model");
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
        var clientWantsUsage = JsonBody.Bool(body["stream_options"]?["include_usage"]);
        await dispatcher.DispatchRouteAsync(plan, RouteRequirements.FromChat(body, record.Stream),
            model => dispatcher.TryGetProvider(model, out var provider) && ModelContentRules.CheckChat(body, model) is null
                ? new ChatProviderExchange(provider, new ChatCompletionRequest((JsonObject)body.DeepClone(), model, record.Stream),
                    new OpenAIChatOutput(http.Response, clientWantsUsage, record.RequestId))
                : null,
            Errors, http.Response, record, SessionHasher.ReadOpenAIMessages(messages), cancellationToken);
    }

    private static async Task FailAsync(HttpContext http, RequestRecord record, int status, string code, string message, string? param = null)
    {
        record.Fail(status, code, message);
        await Errors.WriteAsync(http.Response, status, code, message, param);
    }
}
