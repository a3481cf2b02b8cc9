namespace Requesty.Router.Endpoints.Messages;

public static class MessagesEndpoints
{
    public static IEndpointRouteBuilder MapMessages(this IEndpointRouteBuilder app)
    {
        app.MapPostToHandler<MessagesHandler>("/v1/messages", (handler, http) => handler.HandleAsync(http))
            .WithTags("Messages")
            .WithSummary("Anthropic Messages API in front of any provider (streaming and non-streaming)");
        app.MapPostToHandler<MessagesHandler>("/v1/messages/count_tokens", (handler, http) => handler.CountTokensAsync(http))
            .WithTags("Messages")
            .WithSummary("Counts the input tokens of a Messages request");
        return app;
    }
}
