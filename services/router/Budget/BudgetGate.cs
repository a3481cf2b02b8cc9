using Requesty.Contracts.Management;
using Requesty.Router.Catalog;
using Requesty.Router.Pipeline;

namespace Requesty.Router.Budget;

/// <summary>
/// Refuses, before any provider is called, a request whose key, user, project, group or organisation is
/// over its spend limit this month: 429 insufficient_quota in the caller's format. Requests for a model
/// whose catalogue prices are all zero are never refused (they cannot add spend). Decided from memory
/// only; overshoot is bounded by the requests already in flight when management publishes the block.
/// </summary>
public sealed class BudgetGate(SpendBlockSet blocks, ModelCatalog catalog, RouterOptions options)
{
    public const string ErrorKind = "insufficient_quota";

    /// <summary>True to go on; false when the request was refused (answered, and recorded as failed).</summary>
    public ValueTask<bool> AdmitAsync(HttpContext http, RequestRecord record, IClientErrors errors, CancellationToken cancellationToken) =>
        blocks.BlockedScope(record.Caller) is { } scope
            ? new ValueTask<bool>(AdmitBlockedAsync(http, record, errors, scope, cancellationToken))
            : ValueTask.FromResult(true);

    private async Task<bool> AdmitBlockedAsync(HttpContext http, RequestRecord record, IClientErrors errors, string scope, CancellationToken cancellationToken)
    {
        var model = await RequestedModelAsync(http.Request, record, cancellationToken);
        if (catalog.TryFind(model, out var catalogModel) && IsFree(catalogModel)) return true;

        var message = MessageFor(scope);
        record.RequestedModel = model;
        record.Fail(StatusCodes.Status429TooManyRequests, ErrorKind, message);
        if (errors is OpenAIClientErrors)
            await OpenAIErrors.WriteAsync(http.Response, StatusCodes.Status429TooManyRequests, ErrorKind, message, ErrorKind);
        else
            await errors.WriteAsync(http.Response, StatusCodes.Status429TooManyRequests, ErrorKind, message);
        return false;
    }

    /// <summary>The body's model (the body stays readable for the endpoint), else the key's default, else the router's.</summary>
    private async Task<string> RequestedModelAsync(HttpRequest request, RequestRecord record, CancellationToken cancellationToken)
    {
        request.EnableBuffering();
        var body = await JsonBody.ReadObjectAsync(request, cancellationToken);
        request.Body.Position = 0;
        return JsonBody.String(body?["model"]) ?? record.Caller.DefaultModel ?? options.DefaultModel;
    }

    public static bool IsFree(CatalogModel model) =>
        model.Price.InputPerMillion == 0m && model.Price.OutputPerMillion == 0m
        && model.Price.CacheReadPerMillion == 0m && model.Price.CacheWritePerMillion == 0m
        && (model.Price.ReasoningPerMillion ?? 0m) == 0m
        && model.ImagePrices.All(p => p.PerImage == 0m);

    public static string MessageFor(string scope) => scope switch
    {
        SpendScopes.ApiKey => "This API key has reached its monthly spend limit. Raise the limit or wait for next month.",
        SpendScopes.User => "Your monthly spend limit has been reached. Ask an admin to raise it or wait for next month.",
        SpendScopes.Project => "This project has reached its monthly spend limit. Raise the limit or wait for next month.",
        SpendScopes.Group => "Your group has reached its monthly budget. Ask an admin to raise it or wait for next month.",
        _ => "Your organisation's prepaid balance is used up. Add credits to continue.",
    };
}
