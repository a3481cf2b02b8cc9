using System.Text.Json.Nodes;
using Requesty.ProviderSimulator.Anthropic;
using Requesty.ProviderSimulator.Infrastructure;

namespace Requesty.ProviderSimulator.OpenAI;

/// <summary>
/// GET /v1/models. OpenAI and Anthropic share the path; a request carrying anthropic-version gets
/// Anthropic's list shape, every other one OpenAI's.
/// </summary>
public static class ModelsEndpoint
{
    public static readonly IReadOnlyList<string> OpenAIModels =
        ["gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "gpt-5", "gpt-5-mini", "o3", "o4-mini",
         "text-embedding-3-small", "text-embedding-3-large", "gpt-image-1", "dall-e-3"];

    public static readonly IReadOnlyList<string> AnthropicModels =
        ["claude-sonnet-4-5", "claude-sonnet-4-20250514", "claude-opus-4-1", "claude-haiku-4-5", "claude-3-7-sonnet-latest"];

    public static async Task HandleAsync(HttpContext context)
    {
        if (context.Request.Headers.ContainsKey("anthropic-version"))
        {
            if (!await AnthropicErrors.AuthorisedAsync(context)) return;
            var created = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
            await context.Response.WriteJsonAsync(new JsonObject
            {
                ["data"] = new JsonArray([.. AnthropicModels.Select(id => (JsonNode)new JsonObject
                {
                    ["type"] = "model",
                    ["id"] = id,
                    ["display_name"] = id,
                    ["created_at"] = created.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
                })]),
                ["has_more"] = false,
                ["first_id"] = AnthropicModels[0],
                ["last_id"] = AnthropicModels[^1],
            });
            return;
        }

        if (!await OpenAIErrors.AuthorisedAsync(context)) return;
        await context.Response.WriteJsonAsync(new JsonObject
        {
            ["object"] = "list",
            ["data"] = new JsonArray([.. OpenAIModels.Select(id => (JsonNode)OpenAIModel(id))]),
        });
    }

    /// <summary>GET /v1/models/{id}: any id exists (the simulator accepts every model name).</summary>
    public static async Task GetOneAsync(HttpContext context, string id)
    {
        if (!await OpenAIErrors.AuthorisedAsync(context)) return;
        await context.Response.WriteJsonAsync(OpenAIModel(id));
    }

    private static JsonObject OpenAIModel(string id) => new()
    {
        ["id"] = id,
        ["object"] = "model",
        ["created"] = 1735689600,
        ["owned_by"] = id.StartsWith("dall-e", StringComparison.Ordinal) ? "system" : "openai",
    };
}
