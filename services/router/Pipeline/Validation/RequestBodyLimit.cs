using Microsoft.AspNetCore.Http.Features;
using Requesty.Router.Endpoints.Messages;

namespace Requesty.Router.Pipeline.Validation;

/// <summary>
/// Caps request bodies at Router:MaxRequestBodyBytes (default 20 MiB, enough for PDFs and images) and answers a
/// larger body with a 413 in the caller's API format instead of a reset connection or a 500: up front from
/// Content-Length, or when a chunked body crosses the limit while the endpoint reads it.
/// </summary>
public static class RequestBodyLimit
{
    public const long DefaultMaxBytes = 20L * 1024 * 1024;

    public static long MaxBytes(IConfiguration configuration) =>
        configuration.GetValue("Router:MaxRequestBodyBytes", DefaultMaxBytes);

    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app)
    {
        var limit = MaxBytes(app.ApplicationServices.GetRequiredService<IConfiguration>());
        return app.Use(async (http, next) =>
        {
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature) feature.MaxRequestBodySize = limit;
            if (http.Request.ContentLength > limit)
            {
                await WriteTooLargeAsync(http, limit);
                return;
            }
            try
            {
                await next(http);
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge && !http.Response.HasStarted)
            {
                await WriteTooLargeAsync(http, limit);
            }
        });
    }

    private static Task WriteTooLargeAsync(HttpContext http, long limit)
    {
        IClientErrors errors = http.Request.Path.StartsWithSegments("/v1/messages") ? AnthropicClientErrors.Instance : OpenAIClientErrors.Instance;
        // The unread rest of the body is not worth draining: close the connection after this answer.
        http.Response.Headers.Connection = "close";
        return errors.WriteAsync(http.Response, StatusCodes.Status413PayloadTooLarge, "request_too_large",
            $"The request body is larger than the limit of {limit} bytes.");
    }
}
