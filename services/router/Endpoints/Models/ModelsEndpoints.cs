using Requesty.Router.Catalog;
using Requesty.Router.Pipeline;
using Requesty.Router.Providers;

namespace Requesty.Router.Endpoints.Models;

public static class ModelsEndpoints
{
    public static IEndpointRouteBuilder MapModels(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/models", ListAsync)
            .WithTags("Models")
            .WithSummary("Models the caller may use, with prices (USD per million tokens), context window and capabilities")
            .WithDescription("The catalogue's models whose provider this gateway can call on its own key (or its simulator); "
                + "models reachable only with an organisation's own key are used through policies and are not listed.");
        return app;
    }

    private static async Task ListAsync(HttpContext http, CallerAuthenticator authenticator, ModelCatalog catalog, ProviderDirectory providers)
    {
        var auth = await authenticator.AuthenticateAsync(http.Request, http.RequestAborted);
        if (auth.Caller is null)
        {
            await OpenAIErrors.WriteAsync(http.Response, auth.Status, OpenAIErrors.TypeFor(auth.Status), auth.Message!, auth.Code);
            return;
        }
        var models = catalog.All.Where(m => providers.ServesOnPlatformKey(m.Provider)).Select(ModelEntry.From).ToList();
        await http.Response.WriteAsJsonAsync(new ModelList(models), RouterEndpointsJsonContext.Default.ModelList, cancellationToken: http.RequestAborted);
    }
}

public sealed record ModelList(IReadOnlyList<ModelEntry> Data)
{
    public string Object => "list";
}

public sealed record ModelEntry(
    string Id,
    string OwnedBy,
    string Kind,
    decimal InputPrice,
    decimal OutputPrice,
    decimal CachedInputPrice,
    decimal CacheWritePrice,
    int ContextWindow,
    int MaxOutputTokens,
    bool SupportsTools,
    bool SupportsVision,
    bool SupportsReasoning,
    bool SupportsStreaming,
    string Region,
    string? Description)
{
    public string Object => "model";
    public long Created => 1_735_689_600; // catalogue epoch (2025-01-01); OpenAI clients expect an integer

    /// <summary>USD per million reasoning tokens where billed apart from output; null = billed as output.</summary>
    public decimal? ReasoningPrice { get; init; }

    /// <summary>The catalogue's capability names (vision, tools, reasoning, caching, pdf, web_search, image_output, embeddings, streaming).</summary>
    public IReadOnlyList<string> Capabilities { get; init; } = [];

    /// <summary>USD per generated image, for models billed per image.</summary>
    public IReadOnlyList<ModelImagePrice> ImagePrices { get; init; } = [];

    public static ModelEntry From(CatalogModel m) => new(
        m.Id, m.Provider, m.Kind.ToString().ToLowerInvariant(),
        m.Price.InputPerMillion, m.Price.OutputPerMillion, m.Price.CacheReadPerMillion, m.Price.CacheWritePerMillion,
        m.ContextWindow, m.MaxOutputTokens, m.SupportsTools, m.SupportsVision, m.SupportsReasoning, m.SupportsStreaming,
        m.Region, m.Description)
    {
        ReasoningPrice = m.Price.ReasoningPerMillion,
        Capabilities = CapabilitiesOf(m),
        ImagePrices = [.. m.ImagePrices.Select(p => new ModelImagePrice(p.Quality, p.Size, p.PerImage))],
    };

    private static List<string> CapabilitiesOf(CatalogModel m)
    {
        var capabilities = new List<string>(9);
        if (m.SupportsVision) capabilities.Add("vision");
        if (m.SupportsTools) capabilities.Add("tools");
        if (m.SupportsReasoning) capabilities.Add("reasoning");
        if (m.SupportsCaching) capabilities.Add("caching");
        if (m.SupportsPdf) capabilities.Add("pdf");
        if (m.SupportsWebSearch) capabilities.Add("web_search");
        if (m.SupportsImageOutput) capabilities.Add("image_output");
        if (m.SupportsEmbeddings) capabilities.Add("embeddings");
        if (m.SupportsStreaming) capabilities.Add("streaming");
        return capabilities;
    }
}

public sealed record ModelImagePrice(string Quality, string Size, decimal PerImage);
