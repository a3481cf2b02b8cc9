using Microsoft.AspNetCore.Diagnostics;

namespace Requesty.McpGateway.Security;

/// <summary>A missing Mcp:EncryptionKey is an operator problem: 503 with the reason, not an anonymous 500.</summary>
public sealed class EncryptionProblemHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not EncryptionNotConfiguredException) return false;
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Secret storage is not configured",
                Detail = exception.Message,
            },
        });
    }
}
