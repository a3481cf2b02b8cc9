namespace Requesty.Router.Endpoints.Messages;

public static class MessagesEndpoints
{
    public static IEndpointRouteBuilder MapMessages(this IEndpointRouteBuilder app)
    {
        // Resolved once (a singleton): as a handler parameter it would open a DI scope for every request.
        var handler = app.ServiceProvider.GetRequiredService<MessagesHandler>();
        app.MapPost("/v1/messages", (HttpContext http) => handler.HandleAsync(http))
            .WithTags("Messages")
            .WithSummary("Anthropic Messages API in front of any provider (streaming and non-streaming)");
        app.MapPost("/v1/messages/count_tokens", (HttpContext http) => handler.CountTokensAsync(http))
            .WithTags("Messages")
            .WithSummary("Counts the input tokens of a Messages request");
        return app;
    }
}
