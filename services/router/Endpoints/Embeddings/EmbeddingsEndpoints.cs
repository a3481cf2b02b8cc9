namespace Requesty.Router.Endpoints.Embeddings;

public static class EmbeddingsEndpoints
{
    public static IServiceCollection AddEmbeddingsEndpoint(this IServiceCollection services) =>
        services.AddSingleton<EmbeddingsHandler>();

    public static IEndpointRouteBuilder MapEmbeddings(this IEndpointRouteBuilder app)
    {
        // Resolved once (a singleton): as a handler parameter it would open a DI scope for every request.
        var handler = app.ServiceProvider.GetRequiredService<EmbeddingsHandler>();
        app.MapPost("/v1/embeddings", (HttpContext http) => handler.HandleAsync(http))
            .WithTags("Embeddings")
            .WithSummary("OpenAI-compatible embeddings (string, string[], token array or token arrays; float or base64)");
        return app;
    }
}
