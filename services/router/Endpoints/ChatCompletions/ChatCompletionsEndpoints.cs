namespace Requesty.Router.Endpoints.ChatCompletions;

public static class ChatCompletionsEndpoints
{
    public static IEndpointRouteBuilder MapChatCompletions(this IEndpointRouteBuilder app)
    {
        app.MapPostToHandler<ChatCompletionsHandler>("/v1/chat/completions", (handler, http) => handler.HandleAsync(http))
            .WithTags("Chat")
            .WithSummary("OpenAI-compatible chat completion (streaming and non-streaming)");
        return app;
    }
}
