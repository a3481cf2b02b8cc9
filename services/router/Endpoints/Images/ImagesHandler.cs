using Requesty.Router.Catalog;
using Requesty.Router.Pipeline;
using Requesty.Router.Providers.OpenAI;

namespace Requesty.Router.Endpoints.Images;

/// <summary>
/// POST /v1/images/generations, top to bottom: read and check the body, resolve the image model
/// (and, for models billed per image, the price of the requested quality and size), dispatch
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
        var model = await OpenAIModelResolution.FindModelAsync(http, record, catalog, modelId, ModelKind.Image, "an image generation model", ImagesExchange.Provider, "/v1/images/generations");
        if (model is null) return;
        if (ImagesRequestRules.Check(body) is { } problem)
        {
            await Errors.FailAsync(http, record, 400, "invalid_" + problem.Param, problem.Message, problem.Param);
            return;
        }
        if (ReturnsBase64Only(model))
        {
            if (JsonBody.String(body["response_format"]) == "url")
            {
                await Errors.FailAsync(http, record, 400, "invalid_response_format", $"'{modelId}' returns images as b64_json only; omit 'response_format'.", "response_format");
                return;
            }
            // OpenAI rejects the parameter for these models even when it asks for what they return anyway.
            body.Remove("response_format");
        }
        var perImage = ImagePricing.Find(model, JsonBody.String(body["quality"]), JsonBody.String(body["size"]));
        if (ImagePricing.IsPerImage(model) && perImage is null)
        {
            var param = ImagePricing.OffersQuality(model, JsonBody.String(body["quality"])) ? "size" : "quality";
            await Errors.FailAsync(http, record, 400, "invalid_" + param, $"'{modelId}' offers these qualities and sizes: {ImagePricing.Offered(model)}.", param);
            return;
        }

        body["model"] = model.UpstreamModel;
        var exchange = new ImagesExchange(httpClients.CreateClient(OpenAIChatProvider.HttpClientName), body, http.Response, time);
        await dispatcher.DispatchAsync(model, exchange, Errors, http.Response, record, [], cancellationToken);

        // The dispatcher priced the token usage; models billed per image are priced by what was generated.
        if (perImage is not null && record.ServedModel is not null)
        {
            record.CostUsd = perImage.PerImage * exchange.ImageCount;
            record.CostWithoutCacheUsd = record.CostUsd;
        }
    }

    private static bool ReturnsBase64Only(CatalogModel model) =>
        model.Provider == "openai" && model.UpstreamModel.StartsWith("gpt-image", StringComparison.OrdinalIgnoreCase);
}
