namespace Requesty.Router.Endpoints.ChatCompletions;

public static class ChatCompletionsEndpoints
{
    public static IEndpointRouteBuilder MapChatCompletions(this IEndpointRouteBuilder app)
    {
        // Resolved once (a singleton): as a handler parameter it would open a DI scope for every request.
        var handler = app.ServiceProvider.GetRequiredService<ChatCompletionsHandler>();
        app.MapPost("/v1/chat/completions", (HttpContext http) => handler.HandleAsync(http))
            .WithTags("Chat")
            .WithSummary("OpenAI-compatible chat completion (streaming and non-streaming)");
        return app;
    }
}
