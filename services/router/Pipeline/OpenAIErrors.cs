using System.Text.Json;

namespace Requesty.Router.Pipeline;

/// <summary>Errors in OpenAI's format: {"error":{"message","type","param","code"}}.</summary>
public static class OpenAIErrors
{
    public static async Task WriteAsync(HttpResponse response, int status, string type, string message, string? code = null, string? param = null)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(response.Body);
        writer.WriteStartObject();
        writer.WriteStartObject("error");
        writer.WriteString("message", message);
        writer.WriteString("type", type);
        if (param is null) writer.WriteNull("param"); else writer.WriteString("param", param);
        if (code is null) writer.WriteNull("code"); else writer.WriteString("code", code);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>OpenAI's error type for an HTTP status.</summary>
    public static string TypeFor(int status) => status switch
    {
        400 or 404 or 413 or 422 => "invalid_request_error",
        401 => "authentication_error",
        403 => "permission_error",
        429 => "rate_limit_error",
        504 => "timeout_error",
        _ => "api_error",
    };
}
