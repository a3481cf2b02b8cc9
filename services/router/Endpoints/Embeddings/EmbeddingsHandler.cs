using System.Text.Json.Nodes;
using Requesty.Router.Catalog;
using Requesty.Router.Pipeline;
using Requesty.Router.Providers.Google;
using Requesty.Router.Providers.OpenAI;
using Requesty.Router.Routing;

namespace Requesty.Router.Endpoints.Embeddings;

/// <summary>
/// POST /v1/embeddings, top to bottom: read and check the body, resolve the embedding model,
/// dispatch upstream and relay the answer in OpenAI's format. Authentication and the
/// RequestCompleted event come from the request lifecycle around it.
/// </summary>
public sealed class EmbeddingsHandler(RequestLifecycle lifecycle, ModelCatalog catalog, ChatDispatcher dispatcher, IHttpClientFactory httpClients, TimeProvider time)
{
    private static readonly IClientErrors Errors = OpenAIClientErrors.Instance;

    public Task HandleAsync(HttpContext http) =>
        lifecycle.RunAsync(http, "embeddings", Errors, (record, cancellationToken) => ServeAsync(http, record, cancellationToken));

    private async Task ServeAsync(HttpContext http, RequestRecord record, CancellationToken cancellationToken)
    {
        var body = await Errors.ReadBodyAsync(http, record, cancellationToken);
        if (body is null) return;

        var modelId = await OpenAIModelResolution.RecordRequiredModelAsync(http, record, body, "openai/text-embedding-3-small");
        if (modelId is null) return;
        if (RoutePlanner.IsPolicy(modelId))
        {
            await ServePolicyAsync(http, record, body, modelId[RoutePlanner.Prefix.Length..], cancellationToken);
            return;
        }
        var provider = catalog.TryFind(modelId, out var named) && named.Provider == GeminiEmbeddingsExchange.Provider
            ? GeminiEmbeddingsExchange.Provider
            : EmbeddingsExchange.Provider;
        var model = await OpenAIModelResolution.FindModelAsync(http, record, catalog, modelId, ModelKind.Embedding, "an embedding model", provider, "/v1/embeddings");
        if (model is null) return;
        if (EmbeddingsRequestRules.Check(body) is { } problem)
        {
            await Errors.FailAsync(http, record, 400, "invalid_" + problem.Param, problem.Message, problem.Param);
            return;
        }
        if (model.Provider == GeminiEmbeddingsExchange.Provider && GeminiEmbeddingsExchange.ReadInputs(body["input"]).Problem is { } textOnly)
        {
            await Errors.FailAsync(http, record, 400, "invalid_input", textOnly, "input");
            return;
        }

        await dispatcher.DispatchAsync(model, ExchangeFor(http, body, model), Errors, http.Response, record, Conversation.None, cancellationToken);
    }

    /// <summary>OpenAI models get the body as it is (with their upstream name); Google models get it as batchEmbedContents.</summary>
    private IUpstreamExchange ExchangeFor(HttpContext http, JsonObject body, CatalogModel model)
    {
        if (model.Provider == GeminiEmbeddingsExchange.Provider)
        {
            var inputs = GeminiEmbeddingsExchange.ReadInputs(body["input"]).Inputs!;
            var dimensions = body["dimensions"] is JsonValue d && d.TryGetValue<int>(out var size) ? size : (int?)null;
            return new GeminiEmbeddingsExchange(httpClients.CreateClient(GeminiChatProvider.HttpClientName), inputs, dimensions,
                JsonBody.String(body["encoding_format"]) == "base64", model, http.Response, time);
        }
        var upstreamBody = (JsonObject)body.DeepClone();
        upstreamBody["model"] = model.UpstreamModel;
        return new EmbeddingsExchange(httpClients.CreateClient(OpenAIChatProvider.HttpClientName), upstreamBody, http.Response, time);
    }

    /// <summary>"policy/&lt;name&gt;": the policy's embedding models in turn; other kinds of entries are skipped.</summary>
    private async Task ServePolicyAsync(HttpContext http, RequestRecord record, JsonObject body, string policyName, CancellationToken cancellationToken)
    {
        var plan = await OpenAIModelResolution.PlanPolicyAsync(http, record, dispatcher, policyName);
        if (plan is null) return;
        if (EmbeddingsRequestRules.Check(body) is { } problem)
        {
            await Errors.FailAsync(http, record, 400, "invalid_" + problem.Param, problem.Message, problem.Param);
            return;
        }
        await dispatcher.DispatchRouteAsync(plan, RouteRequirements.Of(ModelKind.Embedding), model =>
            {
                if (model.Provider == GeminiEmbeddingsExchange.Provider && GeminiEmbeddingsExchange.ReadInputs(body["input"]).Problem is null)
                    return ExchangeFor(http, body, model);
                return model.Provider == EmbeddingsExchange.Provider ? ExchangeFor(http, body, model) : null;
            },
            Errors, http.Response, record, Conversation.None, cancellationToken);
    }
}
