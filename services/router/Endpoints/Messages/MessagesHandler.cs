using System.Text.Json.Nodes;
using Requesty.Contracts.Events;
using Requesty.Router.Catalog;
using Requesty.Router.Pipeline;
using Requesty.Router.Pipeline.Validation;
using Requesty.Router.Providers;
using Requesty.Router.Providers.Anthropic;
using Requesty.Router.Routing;

namespace Requesty.Router.Endpoints.Messages;

/// <summary>
/// POST /v1/messages (Anthropic format) in front of any provider: Anthropic models get the
/// request as it is; others get it translated to OpenAI chat and their answer translated back.
/// </summary>
public sealed class MessagesHandler(
    RequestLifecycle lifecycle,
    CallerAuthenticator authenticator,
    ModelCatalog catalog,
    ChatDispatcher dispatcher,
    IHttpClientFactory httpClients,
    ProviderDirectory endpoints,
    RouterOptions options,
    TimeProvider time)
{
    private static readonly IClientErrors Errors = AnthropicClientErrors.Instance;

    public Task HandleAsync(HttpContext http) =>
        lifecycle.RunAsync(http, "messages", Errors, (record, cancellationToken) => ServeAsync(http, record, cancellationToken));

    private async Task ServeAsync(HttpContext http, RequestRecord record, CancellationToken cancellationToken)
    {
        var (body, model) = await ReadRequestAsync(http, record, cancellationToken);
        if (body is null) return;

        record.Stream = JsonBody.Bool(body["stream"]);
        foreach (var tool in (body["tools"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (JsonBody.String(tool["name"]) is { } name) record.ToolsOffered.Add(new ToolOffered { Name = name });
        }
        body["max_tokens"] ??= AnthropicRequestMapper.DefaultMaxTokens;
        var conversation = Conversation.OfAnthropicMessages(body);

        if (model is null)
        {
            // "policy/<name>": the policy's models in turn; content rules and capabilities are checked per model.
            var policyName = record.RequestedModel[RoutePlanner.Prefix.Length..];
            if (!dispatcher.TryPlan(record, policyName, out var plan))
            {
                await Errors.FailAsync(http, record, 404, "model_not_found", $"model: the policy 'policy/{policyName}' does not exist for this API key.");
                return;
            }
            await dispatcher.DispatchRouteAsync(plan, RouteRequirements.FromMessages(body, record.Stream),
                candidate => ModelContentRules.CheckMessages(body, candidate) is null ? ExchangeFor(http, record, (JsonObject)body.DeepClone(), candidate) : null,
                Errors, http.Response, record, conversation, cancellationToken);
            return;
        }
        if (ExchangeFor(http, record, body, model) is not { } exchange)
        {
            await Errors.FailAsync(http, record, 400, "provider_not_supported", $"The provider '{model.Provider}' is not available on /v1/messages.");
            return;
        }
        await dispatcher.DispatchAsync(model, exchange, Errors, http.Response, record, conversation, cancellationToken);
    }

    /// <summary>Anthropic models get the request as it is; others get it translated to OpenAI chat (null: no chat provider).</summary>
    private IUpstreamExchange? ExchangeFor(HttpContext http, RequestRecord record, JsonObject body, CatalogModel model)
    {
        if (model.Provider == "anthropic")
        {
            body["model"] = model.UpstreamModel;
            return new AnthropicMessagesPassthrough(httpClients.CreateClient(AnthropicChatProvider.HttpClientName), body,
                http.Request.Headers["anthropic-version"].FirstOrDefault(), http.Request.Headers["anthropic-beta"].ToString(),
                http.Response, MessageId(record.RequestId), time);
        }
        if (!dispatcher.TryGetProvider(model, out var provider)) return null;
        var chat = new ChatCompletionRequest(MessagesToChatMapper.ToChat(body), model, record.Stream);
        return new ChatProviderExchange(provider, chat, new AnthropicMessagesOutput(http.Response, record.RequestedModel, MessageId(record.RequestId)));
    }

    /// <summary>
    /// Token count of a Messages request: Anthropic's own count for its models, an estimate of
    /// about four characters a token for the others.
    /// </summary>
    public async Task CountTokensAsync(HttpContext http)
    {
        var cancellationToken = http.RequestAborted;
        var auth = await authenticator.AuthenticateAsync(http.Request, cancellationToken);
        if (auth.Caller is null)
        {
            await Errors.WriteAsync(http.Response, auth.Status, auth.Code!, auth.Message!);
            return;
        }
        var record = new RequestRecord(Guid.CreateVersion7(), time.GetUtcNow().UtcDateTime, auth.Caller, "messages.count_tokens");
        var (body, model) = await ReadRequestAsync(http, record, cancellationToken);
        if (body is null) return;

        if (model?.Provider == "anthropic" && endpoints.TryGet("anthropic", out var endpoint) && endpoint.HasPlatformKey)
        {
            body["model"] = model.UpstreamModel;
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint.BaseAddress, "v1/messages/count_tokens"))
            {
                Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("x-api-key", endpoint.ApiKey);
            request.Headers.Add("anthropic-version", AnthropicChatProvider.ApiVersion);
            using var upstream = await httpClients.CreateClient(AnthropicChatProvider.HttpClientName).SendAsync(request, cancellationToken);
            http.Response.StatusCode = (int)upstream.StatusCode;
            http.Response.ContentType = "application/json";
            await upstream.Content.CopyToAsync(http.Response.Body, cancellationToken);
            return;
        }

        body.Remove("model");
        var estimate = (body.ToJsonString().Length + 3) / 4;
        await http.Response.WriteAsJsonAsync(new JsonObject { ["input_tokens"] = estimate }, cancellationToken);
    }

    private async Task<(JsonObject? Body, CatalogModel? Model)> ReadRequestAsync(HttpContext http, RequestRecord record, CancellationToken cancellationToken)
    {
        var body = await Errors.ReadBodyAsync(http, record, cancellationToken);
        if (body is null) return (null, null);
        if (MessagesRequestRules.Check(body) is { } badShape)
        {
            await Errors.FailAsync(http, record, 400, badShape.Code, badShape.Message);
            return (null, null);
        }
        var modelId = HandlerSteps.RecordRequestedModel(record, body, options);
        if (RoutePlanner.IsPolicy(modelId))
        {
            if (body["messages"] is JsonArray { Count: > 0 }) return (body, null);
            await Errors.FailAsync(http, record, 400, "invalid_messages", "messages: must be a non-empty array.");
            return (null, null);
        }
        if (!catalog.TryFind(modelId, out var model) || model.Kind != ModelKind.Chat)
        {
            await Errors.FailAsync(http, record, 404, "model_not_found", $"model: '{modelId}' does not exist or is not a chat model.");
            return (null, null);
        }
        if (body["messages"] is not JsonArray { Count: > 0 })
        {
            await Errors.FailAsync(http, record, 400, "invalid_messages", "messages: must be a non-empty array.");
            return (null, null);
        }
        if (ModelContentRules.CheckMessages(body, model) is { } unsupported)
        {
            await Errors.FailAsync(http, record, 400, unsupported.Code, unsupported.Message);
            return (null, null);
        }
        return (body, model);
    }

    /// <summary>Anthropic-style message id that carries our request id (feedback accepts it as the request id).</summary>
    public static string MessageId(Guid requestId) => "msg_" + requestId.ToString("N");
}
