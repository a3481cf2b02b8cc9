using System.Text.Json.Nodes;
using Requesty.Router.Byok;
using Requesty.Router.Catalog;
using Requesty.Router.Pipeline;
using Requesty.Router.Providers.OpenAI;
using Requesty.Router.Routing;

namespace Requesty.Router.Endpoints.Images;

/// <summary>
/// POST /v1/images/generations, top to bottom: read and check the body, resolve the image model or
/// "policy/&lt;name&gt;" (and, for models billed per image, the price of the requested quality and size), dispatch
/// upstream, relay the answer in OpenAI's format and price what was generated. Authentication and
/// the RequestCompleted event come from the request lifecycle around it.
/// </summary>
public sealed class ImagesHandler(RequestLifecycle lifecycle, ModelCatalog catalog, ChatDispatcher dispatcher, IHttpClientFactory httpClients, TimeProvider time)
{
    private static readonly IClientErrors Errors = OpenAIClientErrors.Instance;

    public Task HandleAsync(HttpContext http) =>
        lifecycle.RunAsync(http, "images.generations", Errors, (record, cancellationToken) => ServeAsync(http, record, cancellationToken));

    private async Task ServeAsync(HttpContext http, RequestRecord record, CancellationToken cancellationToken)
    {
        var body = await Errors.ReadBodyAsync(http, record, cancellationToken);
        if (body is null) return;

        var modelId = await OpenAIModelResolution.RecordRequiredModelAsync(http, record, body, "openai/gpt-image-1");
        if (modelId is null) return;
        if (RoutePlanner.IsPolicy(modelId))
        {
            await ServePolicyAsync(http, record, body, modelId[RoutePlanner.Prefix.Length..], cancellationToken);
            return;
        }
        var model = await OpenAIModelResolution.FindModelAsync(http, record, catalog, modelId, ModelKind.Image, "an image generation model", ImagesExchange.Provider, "/v1/images/generations");
        if (model is null) return;
        if (ImagesRequestRules.Check(body) is { } problem)
        {
            await Errors.FailAsync(http, record, 400, "invalid_" + problem.Param, problem.Message, problem.Param);
            return;
        }
        var prepared = Prepare(body, model, modelId);
        if (prepared.Problem is { } unfit)
        {
            await Errors.FailAsync(http, record, 400, "invalid_" + unfit.Param, unfit.Message, unfit.Param);
            return;
        }

        var exchange = new ImagesExchange(httpClients.CreateClient(OpenAIChatProvider.HttpClientName), prepared.Body!, http.Response, time);
        await dispatcher.DispatchAsync(model, exchange, Errors, http.Response, record, Conversation.None, cancellationToken);
        PricePerImage(record, model, exchange, prepared.PerImage);
    }

    /// <summary>
    /// "policy/&lt;name&gt;": the policy's image models in turn, through the same route planning and fallback as chat.
    /// Entries that are not image models, or cannot offer what was asked (a quality or size, url output), are skipped.
    /// </summary>
    private async Task ServePolicyAsync(HttpContext http, RequestRecord record, JsonObject body, string policyName, CancellationToken cancellationToken)
    {
        var plan = await OpenAIModelResolution.PlanPolicyAsync(http, record, dispatcher, policyName);
        if (plan is null) return;
        if (ImagesRequestRules.Check(body) is { } problem)
        {
            await Errors.FailAsync(http, record, 400, "invalid_" + problem.Param, problem.Message, problem.Param);
            return;
        }

        (CatalogModel Model, ImagesExchange Exchange, ImagePrice? PerImage)? latest = null;
        await dispatcher.DispatchRouteAsync(plan, RouteRequirements.Of(ModelKind.Image), model =>
            {
                if (model.Provider != ImagesExchange.Provider) return null;
                var prepared = Prepare(body, model, model.Id);
                if (prepared.Problem is not null) return null;
                var exchange = new ImagesExchange(httpClients.CreateClient(OpenAIChatProvider.HttpClientName), prepared.Body!, http.Response, time);
                latest = (model, exchange, prepared.PerImage);
                return exchange;
            },
            Errors, http.Response, record, Conversation.None, cancellationToken);
        // The fallback stops at the first success, so the latest exchange is the one that served.
        if (latest is { } served) PricePerImage(record, served.Model, served.Exchange, served.PerImage);
    }

    /// <summary>
    /// The body <paramref name="model"/> gets upstream (its own copy, with the provider's model name) and its
    /// per-image price; or, when the model cannot give what was asked, the problem as (param, message).
    /// </summary>
    private static PreparedImageRequest Prepare(JsonObject body, CatalogModel model, string modelId)
    {
        var upstream = (JsonObject)body.DeepClone();
        if (ReturnsBase64Only(model))
        {
            if (JsonBody.String(upstream["response_format"]) == "url")
                return PreparedImageRequest.Unfit("response_format", $"'{modelId}' returns images as b64_json only; omit 'response_format'.");
            // OpenAI rejects the parameter for these models even when it asks for what they return anyway.
            upstream.Remove("response_format");
        }
        var perImage = ImagePricing.Find(model, JsonBody.String(upstream["quality"]), JsonBody.String(upstream["size"]));
        if (ImagePricing.IsPerImage(model) && perImage is null)
        {
            var param = ImagePricing.OffersQuality(model, JsonBody.String(upstream["quality"])) ? "size" : "quality";
            return PreparedImageRequest.Unfit(param, $"'{modelId}' offers these qualities and sizes: {ImagePricing.Offered(model)}.");
        }
        upstream["model"] = model.UpstreamModel;
        return new PreparedImageRequest(upstream, perImage, null);
    }

    /// <summary>
    /// The dispatcher priced the token usage; models billed per image are priced by what was generated
    /// (on the organisation's own key the provider bills it: no platform cost, the provider cost is kept).
    /// </summary>
    private static void PricePerImage(RequestRecord record, CatalogModel model, ImagesExchange exchange, ImagePrice? perImage)
    {
        if (perImage is null || record.ServedModel != model.Id) return;
        var cost = perImage.PerImage * exchange.ImageCount;
        var onOwnKey = record.Attempts.Count > 0 && record.Attempts[^1].KeySource == KeySources.Byok;
        record.ProviderCostUsd = cost;
        record.CostUsd = onOwnKey ? 0m : cost;
        record.CostWithoutCacheUsd = record.CostUsd;
    }

    private sealed record PreparedImageRequest(JsonObject? Body, ImagePrice? PerImage, (string Param, string Message)? Problem)
    {
        public static PreparedImageRequest Unfit(string param, string message) => new(null, null, (param, message));
    }

    private static bool ReturnsBase64Only(CatalogModel model) =>
        model.Provider == "openai" && model.UpstreamModel.StartsWith("gpt-image", StringComparison.OrdinalIgnoreCase);
}
