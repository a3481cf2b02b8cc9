using System.Text.Json.Nodes;
using Requesty.ProviderSimulator.Behaviour;
using Requesty.ProviderSimulator.Generation;
using Requesty.ProviderSimulator.Infrastructure;

namespace Requesty.ProviderSimulator.Gemini;

/// <summary>
/// POST /v1beta/models/{model}:embedContent ({"content":{"parts":[{"text"}]},"outputDimensionality"} -> {"embedding":{"values"}})
/// and :batchEmbedContents ({"requests":[{"model":"models/...","content",...}]} -> {"embeddings":[{"values"}]}), as the
/// Gemini API answers them: no usage is reported.
/// </summary>
public static class EmbedContentEndpoint
{
    private const int MaxDimensions = 3072;

    public static bool Handles(string action) => action is "embedContent" or "batchEmbedContents";

    public static async Task ServeAsync(HttpContext context, string model, string action, BehaviourGate gate)
    {
        if (await context.ReadJsonBodyAsync() is not JsonObject body)
        {
            await GeminiErrors.BadRequestAsync(context, "Invalid JSON payload received.");
            return;
        }
        var requests = action == "embedContent" ? [body] : body.Prop("requests").Items().OfType<JsonObject>().ToList();
        if (requests.Count == 0)
        {
            await GeminiErrors.BadRequestAsync(context, "* BatchEmbedContentsRequest.requests: requests is not specified");
            return;
        }
        var texts = new List<string>(requests.Count);
        var dimensions = new List<int>(requests.Count);
        foreach (var request in requests)
        {
            var text = ContentText.Join(request.Prop("content").Prop("parts").Items().Select(p => p.Prop("text").Str()));
            if (text.Length == 0)
            {
                await GeminiErrors.BadRequestAsync(context, "* EmbedContentRequest.content: content is not specified");
                return;
            }
            var requestModel = request.Prop("model").Str();
            if (action == "batchEmbedContents" && requestModel is not null && requestModel != "models/" + model)
            {
                await GeminiErrors.BadRequestAsync(context, $"* BatchEmbedContentsRequest.requests: model '{requestModel}' does not match 'models/{model}'.");
                return;
            }
            var size = request.Prop("outputDimensionality", "output_dimensionality").Int() ?? DefaultDimensions(model);
            if (size is < 1 or > MaxDimensions)
            {
                await GeminiErrors.BadRequestAsync(context, $"* EmbedContentRequest.output_dimensionality: must be between 1 and {MaxDimensions}.");
                return;
            }
            texts.Add(text);
            dimensions.Add(size);
        }
        var (behaviour, problem) = gate.Resolve(context, ProviderNames.Gemini, model);
        if (problem is not null)
        {
            await GeminiErrors.BadRequestAsync(context, problem);
            return;
        }
        if (await gate.InterceptAsync(context, behaviour, GeminiErrors.Body)) return;

        var embeddings = texts.Select((text, i) => new JsonObject
        {
            ["values"] = new JsonArray([.. EmbeddingVectors.For(text, dimensions[i]).Select(v => (JsonNode)v)]),
        }).ToList();
        await context.Response.WriteJsonAsync(action == "embedContent"
            ? new JsonObject { ["embedding"] = embeddings[0] }
            : new JsonObject { ["embeddings"] = new JsonArray([.. embeddings]) });
    }

    private static int DefaultDimensions(string model) => model.Contains("gemini-embedding", StringComparison.OrdinalIgnoreCase) ? 3072 : 768;
}
