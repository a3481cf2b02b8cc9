using System.Text.Json.Nodes;
using Requesty.ProviderSimulator.Behaviour;
using Requesty.ProviderSimulator.Infrastructure;

namespace Requesty.ProviderSimulator.Anthropic;

/// <summary>Anthropic's error shape: {"type":"error","error":{"type","message"}}.</summary>
public static class AnthropicErrors
{
    public static readonly ProviderErrorBody Body = (status, message) => new JsonObject
    {
        ["type"] = "error",
        ["error"] = new JsonObject
        {
            ["type"] = status switch
            {
                400 or 422 => "invalid_request_error",
                401 => "authentication_error",
                402 => "billing_error",
                403 => "permission_error",
                404 => "not_found_error",
                413 => "request_too_large",
                429 => "rate_limit_error",
                504 => "timeout_error",
                529 or 503 => "overloaded_error",
                _ => "api_error",
            },
            ["message"] = message,
        },
        ["request_id"] = Ids.New("req_"),
    };

    /// <summary>Accepts x-api-key or Authorization: Bearer (the official .NET SDK sends the latter); writes 401 otherwise.</summary>
    public static async Task<bool> AuthorisedAsync(HttpContext context)
    {
        if (context.Request.Headers["x-api-key"].ToString().Length > 0 || context.Request.BearerToken() is not null) return true;
        await context.Response.WriteProviderErrorAsync(Body, StatusCodes.Status401Unauthorized, "x-api-key header is required");
        return false;
    }

    public static Task BadRequestAsync(HttpContext context, string message) =>
        context.Response.WriteProviderErrorAsync(Body, StatusCodes.Status400BadRequest, message);
}
