using Requesty.Router.Providers;
using Requesty.Router.Providers.OpenAIResponses;

namespace Requesty.Router.Endpoints.Responses;

public static class ResponsesEndpoints
{
    public static IServiceCollection AddResponsesEndpoint(this IServiceCollection services)
    {
        services.AddProviderHttpClient(OpenAIResponsesPassthrough.HttpClientName);
        services.AddSingleton<ResponsesHandler>();
        return services;
    }

    public static IEndpointRouteBuilder MapResponses(this IEndpointRouteBuilder app)
    {
        app.MapPostToHandler<ResponsesHandler>("/v1/responses", (handler, http) => handler.HandleAsync(http))
            .WithTags("Responses")
            .WithSummary("OpenAI Responses API in front of any provider (streaming and non-streaming), with usage.cost");
        return app;
    }
}
