using System.Text.Json.Nodes;
using Requesty.Router.Catalog;
using Requesty.Router.Pipeline;
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
        var body = await JsonBody.ReadObjectAsync(http.Request, cancellationToken);
        if (body is null)
        {
            await FailAsync(http, record, 400, "invalid_json", "The request body must be a JSON object.");
            return;
        }

        record.Metadata = RequestyExtension.Extract(body);
        var modelId = JsonBody.String(body["model"]);
        if (string.IsNullOrWhiteSpace(modelId))
        {
            await FailAsync(http, record, 400, "missing_model", "'model' is required, e.g. \"openai/text-embedding-3-small\".", "model");
            return;
        }
        record.RequestedModel = modelId;
        if (RoutePlanner.IsPolicy(modelId))
        {
            await ServePolicyAsync(http, record, body, modelId[RoutePlanner.Prefix.Length..], cancellationToken);
            return;
        }
        if (!catalog.TryFind(modelId, out var model))
        {
            await FailAsync(http, record, 404, "model_not_found", $"The model '{modelId}' does not exist.", "model");
            return;
        }
        if (model.Kind != ModelKind.Embedding)
        {
            await FailAsync(http, record, 400, "invalid_model", $"The model '{modelId}' is not an embedding model.", "model");
            return;
        }
        if (model.Provider != EmbeddingsExchange.Provider)
        {
            await FailAsync(http, record, 400, "provider_not_supported", $"The provider '{model.Provider}' is not available on /v1/embeddings.", "model");
            return;
        }
        if (EmbeddingsRequestRules.Check(body) is { } problem)
        {
            await FailAsync(http, record, 400, "invalid_" + problem.Param, problem.Message, problem.Param);
            return;
        }

        body["model"] = model.UpstreamModel;
        var exchange = new EmbeddingsExchange(httpClients.CreateClient(OpenAIChatProvider.HttpClientName), body, http.Response, time);
        await dispatcher.DispatchAsync(model, exchange, Errors, http.Response, record, [], cancellationToken);
    }

    /// <summary>"policy/&lt;name&gt;": the policy's embedding models in turn; other kinds of entries are skipped.</summary>
    private async Task ServePolicyAsync(HttpContext http, RequestRecord record, JsonObject body, string policyName, CancellationToken cancellationToken)
    {
        if (!dispatcher.TryPlan(record, policyName, out var plan))
        {
            await FailAsync(http, record, 404, "model_not_found", $"The policy 'policy/{policyName}' does not exist for this API key.", "model");
            return;
        }
        if (EmbeddingsRequestRules.Check(body) is { } problem)
        {
            await FailAsync(http, record, 400, "invalid_" + problem.Param, problem.Message, problem.Param);
            return;
        }
        await dispatcher.DispatchRouteAsync(plan, RouteRequirements.Of(ModelKind.Embedding), model =>
            {
                if (model.Provider != EmbeddingsExchange.Provider) return null;
                var upstreamBody = (JsonObject)body.DeepClone();
                upstreamBody["model"] = model.UpstreamModel;
                return new EmbeddingsExchange(httpClients.CreateClient(OpenAIChatProvider.HttpClientName), upstreamBody, http.Response, time);
            },
            Errors, http.Response, record, [], cancellationToken);
    }

    private static async Task FailAsync(HttpContext http, RequestRecord record, int status, string code, string message, string? param = null)
    {
        record.Fail(status, code, message);
        await Errors.WriteAsync(http.Response, status, code, message, param);
    }
}
