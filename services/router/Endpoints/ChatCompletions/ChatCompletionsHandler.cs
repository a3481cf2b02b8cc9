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
        var body = await Errors.ReadBodyAsync(http, record, cancellationToken);
        if (body is null) return;
        if (ChatCompletionsRequestRules.Check(body) is { } badShape)
        {
            await Errors.FailAsync(http, record, 400, badShape.Code, badShape.Message, badShape.Param);
            return;
        }

        var modelId = HandlerSteps.RecordRequestedModel(record, body, options);
        if (RoutePlanner.IsPolicy(modelId))
        {
            await ServePolicyAsync(http, record, body, modelId[RoutePlanner.Prefix.Length..], cancellationToken);
            return;
        }
        var model = await OpenAIModelResolution.FindChatModelAsync(http, record, catalog, modelId);
        if (model is null) return;
        if (!dispatcher.TryGetProvider(model, out var provider))
        {
            await Errors.FailAsync(http, record, 400, "provider_not_supported", $"The provider '{model.Provider}' is not available on /v1/chat/completions.", "model");
            return;
        }
        if (ModelContentRules.CheckChat(body, model) is { } unsupported)
        {
            await Errors.FailAsync(http, record, 400, unsupported.Code, unsupported.Message, unsupported.Param);
            return;
        }

        if (MessagesOrPrompt(body) is not { } messages)
        {
            await Errors.FailAsync(http, record, 400, "invalid_messages", "'messages' must be a non-empty array (or give 'prompt').", "messages");
            return;
        }

        record.Stream = JsonBody.Bool(body["stream"]);
        record.ToolsOffered.AddRange(OpenAIToolCalls.Offered(body));
        var output = new OpenAIChatOutput(http.Response, clientWantsUsage: JsonBody.Bool(body["stream_options"]?["include_usage"]), record.RequestId);
        var exchange = new ChatProviderExchange(provider, new ChatCompletionRequest(body, model, record.Stream), output);
        await dispatcher.DispatchAsync(model, exchange, Errors, http.Response, record, Conversation.OfOpenAIChat(messages), cancellationToken);
    }

    /// <summary>The non-empty 'messages' array; a lone 'prompt' becomes one user message. Null when there is neither.</summary>
    private static JsonArray? MessagesOrPrompt(JsonObject body)
    {
        if (body["messages"] is null && JsonBody.String(body["prompt"]) is { } prompt)
        {
            body.Remove("prompt");
            body["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = prompt });
        }
        return body["messages"] is JsonArray { Count: > 0 } messages ? messages : null;
    }

    /// <summary>"policy/&lt;name&gt;": the policy's models in turn; content rules and capabilities are checked per model.</summary>
    private async Task ServePolicyAsync(HttpContext http, RequestRecord record, JsonObject body, string policyName, CancellationToken cancellationToken)
    {
        var plan = await OpenAIModelResolution.PlanPolicyAsync(http, record, dispatcher, policyName);
        if (plan is null) return;
        if (MessagesOrPrompt(body) is not { } messages)
        {
            await Errors.FailAsync(http, record, 400, "invalid_messages", "'messages' must be a non-empty array (or give 'prompt').", "messages");
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
            Errors, http.Response, record, Conversation.OfOpenAIChat(messages), cancellationToken);
    }
}
