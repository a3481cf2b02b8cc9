using System.Text.Json.Nodes;
using Requesty.ProviderSimulator.Behaviour;
using Requesty.ProviderSimulator.Infrastructure;

namespace Requesty.ProviderSimulator.Gemini;

/// <summary>Google's error shape: {"error":{"code","message","status"}}.</summary>
public static class GeminiErrors
{
    public static readonly ProviderErrorBody Body = (status, message) => new JsonObject
    {
        ["error"] = new JsonObject
        {
            ["code"] = status,
            ["message"] = message,
            ["status"] = status switch
            {
                400 => "INVALID_ARGUMENT",
                401 => "UNAUTHENTICATED",
                403 => "PERMISSION_DENIED",
                404 => "NOT_FOUND",
                409 => "ABORTED",
                429 => "RESOURCE_EXHAUSTED",
                501 => "UNIMPLEMENTED",
                503 => "UNAVAILABLE",
                504 => "DEADLINE_EXCEEDED",
                _ => "INTERNAL",
            },
        },
    };

    /// <summary>Key from x-goog-api-key or ?key=; Google answers 403 PERMISSION_DENIED without one.</summary>
    public static async Task<bool> AuthorisedAsync(HttpContext context)
    {
        if (context.Request.Headers["x-goog-api-key"].ToString().Length > 0 || context.Request.Query["key"].ToString().Length > 0) return true;
        await context.Response.WriteProviderErrorAsync(Body, StatusCodes.Status403Forbidden,
            "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.");
        return false;
    }

    public static Task BadRequestAsync(HttpContext context, string message) =>
        context.Response.WriteProviderErrorAsync(Body, StatusCodes.Status400BadRequest, message);
}
