using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Requesty.ProviderSimulator.Behaviour;
using Requesty.ProviderSimulator.Generation;
using Requesty.ProviderSimulator.Infrastructure;

namespace Requesty.ProviderSimulator.OpenAI;

/// <summary>
/// POST /v1/images/generations and GET /__sim/images/{id}.png. Image ids are hashes of the prompt, so the
/// PNG behind a URL is regenerated from its id and nothing has to be stored.
/// </summary>
public static class ImagesEndpoint
{
    public static async Task GenerateAsync(HttpContext context, BehaviourGate gate)
    {
        if (!await OpenAIErrors.AuthorisedAsync(context)) return;
        if (await context.ReadJsonBodyAsync() is not JsonObject body || body.Prop("prompt").Str() is not { Length: > 0 } prompt)
        {
            await OpenAIErrors.BadRequestAsync(context, "The request body must be a JSON object with a 'prompt'.");
            return;
        }
        var model = body.Prop("model").Str() ?? "dall-e-2";
        var (behaviour, problem) = gate.Resolve(context, ProviderNames.OpenAI, model);
        if (problem is not null)
        {
            await OpenAIErrors.BadRequestAsync(context, problem);
            return;
        }
        if (await gate.InterceptAsync(context, behaviour, OpenAIErrors.Body)) return;

        // gpt-image models only return base64; dall-e defaults to URLs.
        var asUrl = body.Prop("response_format").Str() switch
        {
            "url" => true,
            "b64_json" => false,
            _ => !model.Contains("gpt-image", StringComparison.OrdinalIgnoreCase),
        };
        var count = Math.Clamp(body.Prop("n").Int() ?? 1, 1, 10);
        var data = new JsonArray();
        for (var i = 0; i < count; i++)
        {
            var id = ImageId(model, prompt, i);
            data.Add(asUrl
                ? new JsonObject { ["url"] = $"{context.Request.Scheme}://{context.Request.Host}/__sim/images/{id}.png", ["revised_prompt"] = prompt }
                : new JsonObject { ["b64_json"] = Convert.ToBase64String(PngImage.Create(id)), ["revised_prompt"] = prompt });
        }
        var inputTokens = behaviour?.InputTokens ?? Math.Max(1, TokenCounter.Count(prompt));
        var outputTokens = behaviour?.OutputTokens ?? 272 * count;
        await context.Response.WriteJsonAsync(new JsonObject
        {
            ["created"] = Ids.UnixNow(),
            ["data"] = data,
            ["usage"] = new JsonObject
            {
                ["input_tokens"] = inputTokens,
                ["output_tokens"] = outputTokens,
                ["total_tokens"] = inputTokens + outputTokens,
                ["input_tokens_details"] = new JsonObject { ["text_tokens"] = inputTokens, ["image_tokens"] = 0 },
            },
        });
    }

    public static IResult Download(string file)
    {
        var id = file.EndsWith(".png", StringComparison.OrdinalIgnoreCase) ? file[..^4] : file;
        if (id.Length != 32 || !id.All(char.IsAsciiHexDigitLower)) return Results.NotFound();
        return Results.Bytes(PngImage.Create(id), "image/png");
    }

    private static string ImageId(string model, string prompt, int index) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{model}\n{prompt}\n{index}")))[..32];
}
