using System.Text.Json.Nodes;
using Requesty.ProviderSimulator.Behaviour;
using Requesty.ProviderSimulator.Infrastructure;

namespace Requesty.ProviderSimulator.OpenAI;

/// <summary>OpenAI's error shape: {"error":{"message","type","param","code"}}.</summary>
public static class OpenAIErrors
{
    public static readonly ProviderErrorBody Body = (status, message) => new JsonObject
    {
        ["error"] = new JsonObject
        {
            ["message"] = message,
            ["type"] = status switch
            {
                400 or 401 or 404 or 413 or 422 => "invalid_request_error",
                403 => "permission_error",
                429 => "requests",
                _ => "server_error",
            },
            ["param"] = null,
            ["code"] = status switch
            {
                401 => "invalid_api_key",
                429 => "rate_limit_exceeded",
                503 => "service_unavailable",
                _ => null,
            },
        },
    };

    /// <summary>Writes 401 and returns false unless the request carries "Authorization: Bearer &lt;non-empty&gt;".</summary>
    public static async Task<bool> AuthorisedAsync(HttpContext context)
    {
        if (context.Request.BearerToken() is not null) return true;
        await context.Response.WriteProviderErrorAsync(Body, StatusCodes.Status401Unauthorized,
            "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).");
        return false;
    }

    public static Task BadRequestAsync(HttpContext context, string message) =>
        context.Response.WriteProviderErrorAsync(Body, StatusCodes.Status400BadRequest, message);
}
