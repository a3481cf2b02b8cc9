using System.Text.Json;
using System.Text.Json.Nodes;
using Requesty.Router.Catalog;
using Requesty.Router.Pipeline;
using Requesty.Router.Pipeline.Validation;
using Requesty.Router.Providers;
using Requesty.Router.Providers.OpenAIResponses;
using Requesty.Router.Routing;

namespace Requesty.Router.Endpoints.Responses;

/// <summary>
/// POST /v1/responses (OpenAI Responses API) in front of any provider: openai-responses/ models get
/// the request as it is (OpenAI keeps the state, so store and previous_response_id work there);
/// chat models get it translated to OpenAI chat and their answer translated back into Responses.
/// </summary>
public sealed class ResponsesHandler(
    RequestLifecycle lifecycle,
    ModelCatalog catalog,
    ChatDispatcher dispatcher,
    IHttpClientFactory httpClients,
    RouterOptions options,
    TimeProvider time)
{
    private static readonly IClientErrors Errors = OpenAIClientErrors.Instance;

    public Task HandleAsync(HttpContext http) =>
        lifecycle.RunAsync(http, "responses", Errors, (record, cancellationToken) => ServeAsync(http, record, cancellationToken));

    private async Task ServeAsync(HttpContext http, RequestRecord record, CancellationToken cancellationToken)
    {
        var body = await Errors.ReadBodyAsync(http, record, cancellationToken);
        if (body is null) return;
        if (ResponsesRequestRules.Check(body) is { } badShape)
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
        if (Validate(body) is { } problem)
        {
            await Errors.FailAsync(http, record, 400, "invalid_request", problem.Message, problem.Param);
            return;
        }

        record.Stream = JsonBody.Bool(body["stream"]);
        record.ToolsOffered.AddRange(ResponsesToChatMapper.Offered(body));
        IUpstreamExchange exchange;
        if (model.Provider == OpenAIResponsesPassthrough.ProviderName)
        {
            exchange = new OpenAIResponsesPassthrough(httpClients.CreateClient(OpenAIResponsesPassthrough.HttpClientName), body, model, http.Response, time);
        }
        else if (dispatcher.TryGetProvider(model, out var provider))
        {
            if (await ToChatAsync(http, record, body) is not { } chat) return;
            var output = new ResponsesChatOutput(http.Response, new ResponseShell(body, model.Id, time.GetUtcNow()), record, model.Price);
            exchange = new ChatProviderExchange(provider, new ChatCompletionRequest(chat, model, record.Stream), output);
        }
        else
        {
            await Errors.FailAsync(http, record, 400, "provider_not_supported", $"The provider '{model.Provider}' is not available on /v1/responses.", "model");
            return;
        }
        await dispatcher.DispatchAsync(model, exchange, Errors, http.Response, record, Conversation.Of(ResponsesToChatMapper.Conversation(body)), cancellationToken);
    }

    /// <summary>Checks the shape of the fields every model needs; null when they are fine.</summary>
    private static (string Param, string Message)? Validate(JsonObject body)
    {
        switch (body["input"])
        {
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                break;
            case JsonArray { Count: > 0 }:
                break;
            default:
                return ("input", "'input' is required: a string or a non-empty array of input items.");
        }
        if (body["stream"] is { } stream && stream.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
            return ("stream", "'stream' must be a boolean.");
        if (body["tools"] is { } tools && tools is not JsonArray)
            return ("tools", "'tools' must be an array.");
        if (body["max_output_tokens"] is { } max && !(max is JsonValue v && v.TryGetValue<long>(out var tokens) && tokens > 0))
            return ("max_output_tokens", "'max_output_tokens' must be a positive integer.");
        if (body["temperature"] is { } temperature && !(temperature is JsonValue t && t.TryGetValue<double>(out var degrees) && degrees is >= 0 and <= 2))
            return ("temperature", "'temperature' must be a number between 0 and 2.");
        if (body["instructions"] is { } instructions && instructions.GetValueKind() is not (JsonValueKind.String or JsonValueKind.Null))
            return ("instructions", "'instructions' must be a string.");
        return null;
    }

    /// <summary>"policy/&lt;name&gt;": the policy's models in turn (Responses passthrough or translated to chat, per model).</summary>
    private async Task ServePolicyAsync(HttpContext http, RequestRecord record, JsonObject body, string policyName, CancellationToken cancellationToken)
    {
        var plan = await OpenAIModelResolution.PlanPolicyAsync(http, record, dispatcher, policyName);
        if (plan is null) return;
        if (Validate(body) is { } problem)
        {
            await Errors.FailAsync(http, record, 400, "invalid_request", problem.Message, problem.Param);
            return;
        }
        if (await ToChatAsync(http, record, body) is not { } chat) return;

        record.Stream = JsonBody.Bool(body["stream"]);
        record.ToolsOffered.AddRange(ResponsesToChatMapper.Offered(body));
        await dispatcher.DispatchRouteAsync(plan, RouteRequirements.FromChat(chat, record.Stream), model =>
            {
                if (model.Provider == OpenAIResponsesPassthrough.ProviderName)
                    return new OpenAIResponsesPassthrough(httpClients.CreateClient(OpenAIResponsesPassthrough.HttpClientName), (JsonObject)body.DeepClone(), model, http.Response, time);
                if (!dispatcher.TryGetProvider(model, out var provider)) return null;
                var output = new ResponsesChatOutput(http.Response, new ResponseShell(body, model.Id, time.GetUtcNow()), record, model.Price);
                return new ChatProviderExchange(provider, new ChatCompletionRequest((JsonObject)chat.DeepClone(), model, record.Stream), output);
            },
            Errors, http.Response, record, Conversation.Of(ResponsesToChatMapper.Conversation(body)), cancellationToken);
    }

    /// <summary>The request as OpenAI chat; null, already answered with 400 invalid_request, when it cannot be translated.</summary>
    private static async Task<JsonObject?> ToChatAsync(HttpContext http, RequestRecord record, JsonObject body)
    {
        try
        {
            return ResponsesToChatMapper.ToChat(body);
        }
        catch (InvalidResponsesRequestException invalid)
        {
            await Errors.FailAsync(http, record, 400, "invalid_request", invalid.Message, invalid.Param);
            return null;
        }
    }
}
