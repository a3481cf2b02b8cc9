using System.Text.Json.Nodes;
using Requesty.ProviderSimulator.Anthropic;
using Requesty.ProviderSimulator.Behaviour;
using Requesty.ProviderSimulator.Gemini;
using Requesty.ProviderSimulator.Infrastructure;

namespace Requesty.ProviderSimulator.Vertex;

/// <summary>
/// Vertex AI publisher models: POST /v1/projects/{project}/locations/{location}/publishers/google/models/{model}:generateContent
/// (and :streamGenerateContent) answered by the Gemini handler; .../publishers/anthropic/models/{model}:rawPredict (and
/// :streamRawPredict) answered by the Anthropic handler, for a Messages body without "model" and with
/// "anthropic_version":"vertex-2023-10-16". Every call needs a Bearer token from /oauth2/token.
/// </summary>
public static class VertexEndpoint
{
    public const string AnthropicVersion = "vertex-2023-10-16";

    public static async Task HandleAsync(HttpContext context, string project, string location, string publisher, string modelAndAction,
        VertexTokens tokens, BehaviourGate gate, PromptCacheTracker cache)
    {
        if (!tokens.IsValid(context.Request.BearerToken()))
        {
            await context.Response.WriteProviderErrorAsync(GeminiErrors.Body, StatusCodes.Status401Unauthorized,
                "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.");
            return;
        }
        var separator = modelAndAction.LastIndexOf(':');
        var model = separator > 0 ? modelAndAction[..separator] : modelAndAction;
        var action = separator > 0 ? modelAndAction[(separator + 1)..] : "";
        switch (publisher, action)
        {
            case ("google", "generateContent" or "streamGenerateContent"):
                await GenerateContentEndpoint.ServeAsync(context, model, action, gate);
                return;
            case ("anthropic", "rawPredict" or "streamRawPredict"):
                await RawPredictAsync(context, model, action == "streamRawPredict", gate, cache);
                return;
            default:
                await context.Response.WriteProviderErrorAsync(GeminiErrors.Body, StatusCodes.Status404NotFound,
                    $"Publisher Model `projects/{project}/locations/{location}/publishers/{publisher}/models/{model}` with action '{action}' was not found.");
                return;
        }
    }

    private static async Task RawPredictAsync(HttpContext context, string model, bool stream, BehaviourGate gate, PromptCacheTracker cache)
    {
        if (await context.ReadJsonBodyAsync() is not JsonObject body)
        {
            await AnthropicErrors.BadRequestAsync(context, "The request body must be a JSON object.");
            return;
        }
        if (body.Prop("anthropic_version").Str() != AnthropicVersion)
        {
            await AnthropicErrors.BadRequestAsync(context, $"anthropic_version: must be \"{AnthropicVersion}\" on Vertex AI.");
            return;
        }
        if (body.Prop("model") is not null)
        {
            await AnthropicErrors.BadRequestAsync(context, "model: Extra inputs are not permitted (the model is in the URL on Vertex AI).");
            return;
        }
        if ((body.Prop("stream").Bool() == true) != stream)
        {
            await AnthropicErrors.BadRequestAsync(context, "stream: must be true for streamRawPredict and absent or false for rawPredict.");
            return;
        }
        await MessagesEndpoint.ServeAsync(context, gate, cache, body, model);
    }
}
