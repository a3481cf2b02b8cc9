using System.Text.Json;
using Requesty.Router.Pipeline;

namespace Requesty.Router.Endpoints.Messages;

/// <summary>Errors in Anthropic's format: {"type":"error","error":{"type","message"}}.</summary>
public sealed class AnthropicClientErrors : IClientErrors
{
    public static readonly AnthropicClientErrors Instance = new();

    public async Task WriteAsync(HttpResponse response, int status, string code, string message, string? param = null)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(response.Body);
        writer.WriteStartObject();
        writer.WriteString("type", "error");
        writer.WriteStartObject("error");
        writer.WriteString("type", TypeFor(status));
        writer.WriteString("message", message);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    public static string TypeFor(int status) => status switch
    {
        400 or 422 => "invalid_request_error",
        401 => "authentication_error",
        403 => "permission_error",
        404 => "not_found_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        529 => "overloaded_error",
        _ => "api_error",
    };
}
