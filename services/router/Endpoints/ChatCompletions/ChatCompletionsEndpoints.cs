namespace Requesty.Router.Endpoints.ChatCompletions;

public static class ChatCompletionsEndpoints
{
    public static IEndpointRouteBuilder MapChatCompletions(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/chat/completions", (HttpContext http, ChatCompletionsHandler handler) => handler.HandleAsync(http))
            .WithTags("Chat")
            .WithSummary("OpenAI-compatible chat completion (streaming and non-streaming)");
        return app;
    }
}
