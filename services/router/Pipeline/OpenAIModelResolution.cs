using System.Text.Json.Nodes;
using Requesty.Router.Catalog;
using Requesty.Router.Routing;

namespace Requesty.Router.Pipeline;

/// <summary>How the OpenAI-format endpoints find the model (or policy) a request names; failures are answered in OpenAI's format.</summary>
public static class OpenAIModelResolution
{
    private static readonly IClientErrors Errors = OpenAIClientErrors.Instance;

    /// <summary>The catalogue chat model; null, already answered with 404 model_not_found, when there is none.</summary>
    public static async Task<CatalogModel?> FindChatModelAsync(HttpContext http, RequestRecord record, ModelCatalog catalog, string modelId)
    {
        if (catalog.TryFind(modelId, out var model) && model.Kind == ModelKind.Chat) return model;
        await Errors.FailAsync(http, record, 404, "model_not_found", $"The model '{modelId}' does not exist or is not a chat model.", "model");
        return null;
    }

    /// <summary>The models "policy/&lt;name&gt;" will try; null, already answered with 404 model_not_found, when the key has no such policy.</summary>
    public static async Task<RoutePlan?> PlanPolicyAsync(HttpContext http, RequestRecord record, ChatDispatcher dispatcher, string policyName)
    {
        if (dispatcher.TryPlan(record, policyName, out var plan)) return plan;
        await Errors.FailAsync(http, record, 404, "model_not_found", $"The policy 'policy/{policyName}' does not exist for this API key.", "model");
        return null;
    }

    /// <summary>
    /// Records the requesty metadata and the body's required 'model' (there is no default for this kind);
    /// null, already answered with 400 missing_model, when it is absent.
    /// </summary>
    public static async Task<string?> RecordRequiredModelAsync(HttpContext http, RequestRecord record, JsonObject body, string example)
    {
        record.Metadata = RequestyExtension.Extract(body);
        var modelId = JsonBody.String(body["model"]);
        if (string.IsNullOrWhiteSpace(modelId))
        {
            await Errors.FailAsync(http, record, 400, "missing_model", $"'model' is required, e.g. \"{example}\".", "model");
            return null;
        }
        record.RequestedModel = modelId;
        return modelId;
    }

    /// <summary>
    /// The catalogue model of this kind that the given provider serves on this route; null, already
    /// answered (404 model_not_found, 400 invalid_model or provider_not_supported), otherwise.
    /// </summary>
    public static async Task<CatalogModel?> FindModelAsync(HttpContext http, RequestRecord record,
        ModelCatalog catalog, string modelId, ModelKind kind, string kindDescription, string provider, string route)
    {
        if (!catalog.TryFind(modelId, out var model))
        {
            await Errors.FailAsync(http, record, 404, "model_not_found", $"The model '{modelId}' does not exist.", "model");
            return null;
        }
        if (model.Kind != kind)
        {
            await Errors.FailAsync(http, record, 400, "invalid_model", $"The model '{modelId}' is not {kindDescription}.", "model");
            return null;
        }
        if (model.Provider != provider)
        {
            await Errors.FailAsync(http, record, 400, "provider_not_supported", $"The provider '{model.Provider}' is not available on {route}.", "model");
            return null;
        }
        return model;
    }
}
