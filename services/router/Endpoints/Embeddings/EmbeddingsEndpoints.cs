namespace Requesty.Router.Endpoints.Embeddings;

public static class EmbeddingsEndpoints
{
    public static IServiceCollection AddEmbeddingsEndpoint(this IServiceCollection services) =>
        services.AddSingleton<EmbeddingsHandler>();

    public static IEndpointRouteBuilder MapEmbeddings(this IEndpointRouteBuilder app)
    {
        app.MapPostToHandler<EmbeddingsHandler>("/v1/embeddings", (handler, http) => handler.HandleAsync(http))
            .WithTags("Embeddings")
            .WithSummary("OpenAI-compatible embeddings (string, string[], token array or token arrays; float or base64)");
        return app;
    }
}
