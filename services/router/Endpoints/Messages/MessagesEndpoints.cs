namespace Requesty.Router.Endpoints.Messages;

public static class MessagesEndpoints
{
    public static IEndpointRouteBuilder MapMessages(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/messages", (HttpContext http, MessagesHandler handler) => handler.HandleAsync(http))
            .WithTags("Messages")
            .WithSummary("Anthropic Messages API in front of any provider (streaming and non-streaming)");
        app.MapPost("/v1/messages/count_tokens", (HttpContext http, MessagesHandler handler) => handler.CountTokensAsync(http))
            .WithTags("Messages")
            .WithSummary("Counts the input tokens of a Messages request");
        return app;
    }
}
