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
        var body = await JsonBody.ReadObjectAsync(http.Request, cancellationToken);
        if (body is null)
        {
            await FailAsync(http, record, 400, "invalid_json", "The request body must be a JSON object.");
            return;
        }
        if (ResponsesRequestRules.Check(body) is { } badShape)
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
        if (Validate(body) is { } problem)
        {
            await FailAsync(http, record, 400, "invalid_request", problem.Message, problem.Param);
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
            JsonObject chat;
            try
            {
                chat = ResponsesToChatMapper.ToChat(body);
            }
            catch (InvalidResponsesRequestException invalid)
            {
                await FailAsync(http, record, 400, "invalid_request", invalid.Message, invalid.Param);
                return;
            }
            var output = new ResponsesChatOutput(http.Response, new ResponseShell(body, model.Id, time.GetUtcNow()), record, model.Price);
            exchange = new ChatProviderExchange(provider, new ChatCompletionRequest(chat, model, record.Stream), output);
        }
        else
        {
            await FailAsync(http, record, 400, "provider_not_supported", $"The provider '{model.Provider}' is not available on /v1/responses.", "model");
            return;
        }
        await dispatcher.DispatchAsync(model, exchange, Errors, http.Response, record, ResponsesToChatMapper.Conversation(body), cancellationToken);
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
        if (!dispatcher.TryPlan(record, policyName, out var plan))
        {
            await FailAsync(http, record, 404, "model_not_found", $"The policy 'policy/{policyName}' does not exist for this API key.", "model");
            return;
        }
        if (Validate(body) is { } problem)
        {
            await FailAsync(http, record, 400, "invalid_request", problem.Message, problem.Param);
            return;
        }
        JsonObject chat;
        try
        {
            chat = ResponsesToChatMapper.ToChat(body);
        }
        catch (InvalidResponsesRequestException invalid)
        {
            await FailAsync(http, record, 400, "invalid_request", invalid.Message, invalid.Param);
            return;
        }

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
            Errors, http.Response, record, ResponsesToChatMapper.Conversation(body), cancellationToken);
    }

    private static async Task FailAsync(HttpContext http, RequestRecord record, int status, string code, string message, string? param = null)
    {
        record.Fail(status, code, message);
        await Errors.WriteAsync(http.Response, status, code, message, param);
    }
}
