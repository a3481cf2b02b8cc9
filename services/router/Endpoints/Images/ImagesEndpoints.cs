namespace Requesty.Router.Endpoints.Images;

public static class ImagesEndpoints
{
    public static IServiceCollection AddImagesEndpoint(this IServiceCollection services) =>
        services.AddSingleton<ImagesHandler>();

    public static IEndpointRouteBuilder MapImages(this IEndpointRouteBuilder app)
    {
        // Resolved once (a singleton): as a handler parameter it would open a DI scope for every request.
        var handler = app.ServiceProvider.GetRequiredService<ImagesHandler>();
        app.MapPost("/v1/images/generations", (HttpContext http) => handler.HandleAsync(http))
            .WithTags("Images")
            .WithSummary("OpenAI-compatible image generation (url or b64_json)");
        return app;
    }
}
