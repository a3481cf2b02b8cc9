namespace Requesty.Router.Endpoints;

public static class HandlerMapping
{
    /// <summary>
    /// POST <paramref name="pattern"/> to a singleton handler resolved once, here: taken as a handler parameter instead,
    /// ASP.NET Core would open a dependency-injection scope for every request to resolve it.
    /// </summary>
    public static RouteHandlerBuilder MapPostToHandler<THandler>(this IEndpointRouteBuilder app, string pattern, Func<THandler, HttpContext, Task> handle)
        where THandler : notnull
    {
        var handler = app.ServiceProvider.GetRequiredService<THandler>();
        // A Delegate, not a RequestDelegate: only route handlers are described in the OpenAPI document (Swagger).
        return app.MapPost(pattern, (Delegate)((HttpContext http) => handle(handler, http)));
    }
}
