using System.Text.Json.Nodes;
using Requesty.ProviderSimulator.Infrastructure;

namespace Requesty.ProviderSimulator.Gemini;

/// <summary>GET /v1beta/models in Google's list shape.</summary>
public static class GeminiModelsEndpoint
{
    private static readonly string[] Models = ["gemini-2.5-pro", "gemini-2.5-flash", "gemini-2.0-flash", "gemini-2.5-flash-lite"];

    public static async Task HandleAsync(HttpContext context)
    {
        if (!await GeminiErrors.AuthorisedAsync(context)) return;
        await context.Response.WriteJsonAsync(new JsonObject
        {
            ["models"] = new JsonArray([.. Models.Select(id => (JsonNode)new JsonObject
            {
                ["name"] = "models/" + id,
                ["version"] = "001",
                ["displayName"] = id,
                ["inputTokenLimit"] = 1048576,
                ["outputTokenLimit"] = 65536,
                ["supportedGenerationMethods"] = new JsonArray("generateContent", "streamGenerateContent", "countTokens"),
            })]),
        });
    }
}
