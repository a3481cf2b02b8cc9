using System.Text.Json.Nodes;
using Requesty.ProviderSimulator.Behaviour;
using Requesty.ProviderSimulator.Generation;
using Requesty.ProviderSimulator.Infrastructure;

namespace Requesty.ProviderSimulator.OpenAI;

/// <summary>POST /v1/embeddings: string, string[], token array or token arrays; float or base64; optional dimensions.</summary>
public static class EmbeddingsEndpoint
{
    private const int MaxDimensions = 8192;

    public static async Task HandleAsync(HttpContext context, BehaviourGate gate)
    {
        if (!await OpenAIErrors.AuthorisedAsync(context)) return;
        if (await context.ReadJsonBodyAsync() is not JsonObject body || body.Prop("model").Str() is not { Length: > 0 } model)
        {
            await OpenAIErrors.BadRequestAsync(context, "The request body must be a JSON object with a 'model'.");
            return;
        }
        if (Inputs(body.Prop("input")) is not { Count: > 0 } inputs)
        {
            await OpenAIErrors.BadRequestAsync(context, "'input' must be a string, an array of strings, or an array of token arrays.");
            return;
        }
        var dimensions = body.Prop("dimensions").Int() ?? DefaultDimensions(model);
        if (dimensions is < 1 or > MaxDimensions)
        {
            await OpenAIErrors.BadRequestAsync(context, $"'dimensions' must be between 1 and {MaxDimensions}.");
            return;
        }
        var (behaviour, problem) = gate.Resolve(context, ProviderNames.OpenAI, model);
        if (problem is not null)
        {
            await OpenAIErrors.BadRequestAsync(context, problem);
            return;
        }
        if (await gate.InterceptAsync(context, behaviour, OpenAIErrors.Body)) return;

        var base64 = body.Prop("encoding_format").Str() == "base64";
        var data = new JsonArray();
        for (var i = 0; i < inputs.Count; i++)
        {
            var vector = EmbeddingVectors.For(inputs[i].Seed, dimensions);
            data.Add(new JsonObject
            {
                ["object"] = "embedding",
                ["index"] = i,
                ["embedding"] = base64 ? EmbeddingVectors.ToBase64(vector) : new JsonArray([.. vector.Select(v => (JsonNode)v)]),
            });
        }
        var tokens = behaviour?.InputTokens ?? inputs.Sum(i => i.Tokens);
        await context.Response.WriteJsonAsync(new JsonObject
        {
            ["object"] = "list",
            ["data"] = data,
            ["model"] = model,
            ["usage"] = new JsonObject { ["prompt_tokens"] = tokens, ["total_tokens"] = tokens },
        });
    }

    private sealed record EmbeddingInput(string Seed, int Tokens);

    private static List<EmbeddingInput>? Inputs(JsonNode? input)
    {
        if (input.Str() is { } single) return [Text(single)];
        if (input is not JsonArray { Count: > 0 } array) return null;
        if (array.All(i => i.Str() is not null)) return [.. array.Select(i => Text(i.Str()!))];
        if (array.All(i => i.Num() is not null)) return [Tokens(array)];
        if (array.All(i => i is JsonArray)) return [.. array.Select(i => Tokens((JsonArray)i!))];
        return null;
    }

    private static EmbeddingInput Text(string text) => new(text, Math.Max(1, TokenCounter.Count(text)));

    private static EmbeddingInput Tokens(JsonArray tokens) => new("tokens:" + tokens.ToJsonString(WireJson.Options), Math.Max(1, tokens.Count));

    private static int DefaultDimensions(string model) => model.Contains("large", StringComparison.OrdinalIgnoreCase) ? 3072 : 1536;
}
