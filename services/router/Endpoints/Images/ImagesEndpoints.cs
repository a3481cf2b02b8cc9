namespace Requesty.Router.Endpoints.Images;

public static class ImagesEndpoints
{
    public static IServiceCollection AddImagesEndpoint(this IServiceCollection services) =>
        services.AddSingleton<ImagesHandler>();

    public static IEndpointRouteBuilder MapImages(this IEndpointRouteBuilder app)
    {
        app.MapPostToHandler<ImagesHandler>("/v1/images/generations", (handler, http) => handler.HandleAsync(http))
            .WithTags("Images")
            .WithSummary("OpenAI-compatible image generation (url or b64_json)");
        return app;
    }
}
