using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Requesty.Management.Application;
using Requesty.Management.Domain;
using Requesty.Management.Infrastructure.EventSourcing;

namespace Requesty.Management.Apis.Http;

/// <summary>Maps domain and infrastructure exceptions to RFC 7807 problem details.</summary>
public sealed class ManagementExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ProblemDetails? problem = exception switch
        {
            ConcurrencyException => new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict,
                Title = "Concurrent modification",
                Detail = "The resource was changed by another request. Read it again and retry.",
            },
            DomainConflictException conflict => new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict, Title = "Conflict", Detail = conflict.Message,
            },
            ResourceNotFoundException notFound => new ProblemDetails
            {
                Status = StatusCodes.Status404NotFound, Title = "Not found", Detail = notFound.Message,
            },
            BadHttpRequestException { InnerException: JsonException json } => new HttpValidationProblemDetails(
                new Dictionary<string, string[]> { [FieldOf(json)] = ["The value is not valid JSON for this field."] })
            {
                Status = StatusCodes.Status400BadRequest, Title = "The request body is not valid.",
            },
            BadHttpRequestException bad => new ProblemDetails
            {
                Status = bad.StatusCode, Title = "Bad request", Detail = bad.Message,
            },
            _ => null,
        };
        if (problem is null) return false;

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext, ProblemDetails = problem, Exception = exception,
        });
    }

    // JsonException.Path looks like "$.monthly_limit" or "$.labels.env"; the field is the first segment.
    private static string FieldOf(JsonException json)
    {
        var path = json.Path;
        if (string.IsNullOrEmpty(path) || path == "$") return "body";
        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        var end = field.IndexOfAny(['.', '[']);
        return end > 0 ? field[..end] : field;
    }
}
