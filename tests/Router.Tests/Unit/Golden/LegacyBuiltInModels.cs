using Requesty.Router.Catalog;

namespace Requesty.Router.Tests.Unit.Golden;

/// <summary>
/// The built-in model list as it was written in C# before it moved to Catalog/models.json, kept verbatim as the
/// reference that the data file must reproduce (ids, prices, limits, capabilities).
/// </summary>
public static class LegacyBuiltInModels
{
    public static IReadOnlyList<CatalogModel> All { get; } =
    [
        Chat("openai/gpt-4o-mini", new(0.15m, 0.60m, 0.075m), 128_000, 16_384, vision: true),
        Chat("openai/gpt-4o", new(2.50m, 10.00m, 1.25m), 128_000, 16_384, vision: true),
        Chat("openai/gpt-4.1", new(2.00m, 8.00m, 0.50m), 1_047_576, 32_768, vision: true),
        Chat("openai/gpt-4.1-mini", new(0.40m, 1.60m, 0.10m), 1_047_576, 32_768, vision: true),
        Chat("openai/gpt-5", new(1.25m, 10.00m, 0.125m), 400_000, 128_000, vision: true, reasoning: true),
        Chat("openai/gpt-5-mini", new(0.25m, 2.00m, 0.025m), 400_000, 128_000, vision: true, reasoning: true),
        Chat("openai/o4-mini", new(1.10m, 4.40m, 0.275m), 200_000, 100_000, vision: true, reasoning: true),
        // OpenAI's Responses API (/v1/responses passthrough, Providers/OpenAIResponses): the openai/ twins' prices.
        Chat("openai-responses/gpt-4o-mini", new(0.15m, 0.60m, 0.075m), 128_000, 16_384, vision: true),
        Chat("openai-responses/gpt-4o", new(2.50m, 10.00m, 1.25m), 128_000, 16_384, vision: true),
        Chat("openai-responses/gpt-4.1", new(2.00m, 8.00m, 0.50m), 1_047_576, 32_768, vision: true),
        Chat("openai-responses/gpt-5", new(1.25m, 10.00m, 0.125m), 400_000, 128_000, vision: true, reasoning: true),
        Chat("openai-responses/gpt-5-mini", new(0.25m, 2.00m, 0.025m), 400_000, 128_000, vision: true, reasoning: true),
        Chat("openai-responses/o4-mini", new(1.10m, 4.40m, 0.275m), 200_000, 100_000, vision: true, reasoning: true),
        Chat("anthropic/claude-sonnet-4-5", new(3.00m, 15.00m, 0.30m, 3.75m), 200_000, 64_000, vision: true, reasoning: true),
        Chat("anthropic/claude-sonnet-4-20250514", new(3.00m, 15.00m, 0.30m, 3.75m), 200_000, 64_000, vision: true, reasoning: true),
        Chat("anthropic/claude-haiku-4-5", new(1.00m, 5.00m, 0.10m, 1.25m), 200_000, 64_000, vision: true, reasoning: true),
        Chat("anthropic/claude-opus-4-1", new(15.00m, 75.00m, 1.50m, 18.75m), 200_000, 32_000, vision: true, reasoning: true),
        Chat("google/gemini-2.5-flash", new(0.30m, 2.50m, 0.075m), 1_048_576, 65_536, vision: true, reasoning: true),
        Chat("google/gemini-2.5-pro", new(1.25m, 10.00m, 0.31m), 1_048_576, 65_536, vision: true, reasoning: true),
        // OpenAI-compatible providers (Providers/OpenAICompatible); Mistral serves from the EU.
        Chat("mistral/mistral-large-latest", new(2.00m, 6.00m), 131_072, 32_768) with { Region = "eu" },
        Chat("mistral/mistral-medium-latest", new(0.40m, 2.00m), 131_072, 32_768, vision: true) with { Region = "eu" },
        Chat("mistral/mistral-small-latest", new(0.10m, 0.30m), 131_072, 32_768, vision: true) with { Region = "eu" },
        Chat("mistral/codestral-latest", new(0.30m, 0.90m), 256_000, 32_768) with { Region = "eu" },
        Chat("xai/grok-4", new(3.00m, 15.00m, 0.75m), 256_000, 64_000, vision: true, reasoning: true),
        Chat("xai/grok-3-mini", new(0.30m, 0.50m, 0.075m), 131_072, 32_768, reasoning: true),
        Chat("xai/grok-code-fast-1", new(0.20m, 1.50m, 0.02m), 256_000, 10_000, reasoning: true),
        Chat("deepseek/deepseek-chat", new(0.28m, 0.42m, 0.028m), 128_000, 8_192),
        Chat("deepseek/deepseek-reasoner", new(0.28m, 0.42m, 0.028m), 128_000, 65_536, reasoning: true),
        Chat("groq/llama-3.3-70b-versatile", new(0.59m, 0.79m), 131_072, 32_768),
        Chat("groq/llama-3.1-8b-instant", new(0.05m, 0.08m), 131_072, 131_072),
        Chat("groq/openai/gpt-oss-120b", new(0.15m, 0.75m), 131_072, 65_536, reasoning: true),
        Chat("together/meta-llama/Llama-3.3-70B-Instruct-Turbo", new(0.88m, 0.88m), 131_072, 32_768),
        Chat("together/deepseek-ai/DeepSeek-V3", new(1.25m, 1.25m), 131_072, 32_768),
        // Azure OpenAI: deployments named after their model (others via Providers:azure:Deployments).
        Chat("azure/gpt-4o", new(2.50m, 10.00m, 1.25m), 128_000, 16_384, vision: true),
        Chat("azure/gpt-4o-mini", new(0.15m, 0.60m, 0.075m), 128_000, 16_384, vision: true),
        Chat("azure/gpt-4.1", new(2.00m, 8.00m, 0.50m), 1_047_576, 32_768, vision: true),
        // AWS Bedrock (Converse API); "@eu-central-1" and friends pick the region.
        Chat("bedrock/claude-sonnet-4-5", new(3.00m, 15.00m, 0.30m, 3.75m), 200_000, 64_000, vision: true, reasoning: true) with { UpstreamModel = "anthropic.claude-sonnet-4-5-20250929-v1:0" },
        Chat("bedrock/claude-3-5-haiku", new(0.80m, 4.00m, 0.08m, 1.00m), 200_000, 8_192) with { UpstreamModel = "anthropic.claude-3-5-haiku-20241022-v1:0" },
        Chat("bedrock/llama3-3-70b-instruct", new(0.72m, 0.72m), 128_000, 8_192) with { UpstreamModel = "meta.llama3-3-70b-instruct-v1:0" },
        Chat("bedrock/mistral-large", new(2.00m, 6.00m), 128_000, 8_192) with { UpstreamModel = "mistral.mistral-large-2407-v1:0" },
        new CatalogModel
        {
            Id = "openai/text-embedding-3-small", Provider = "openai", UpstreamModel = "text-embedding-3-small",
            Kind = ModelKind.Embedding, Price = new(0.02m, 0m), ContextWindow = 8_191, SupportsStreaming = false,
        },
        new CatalogModel
        {
            Id = "openai/text-embedding-3-large", Provider = "openai", UpstreamModel = "text-embedding-3-large",
            Kind = ModelKind.Embedding, Price = new(0.13m, 0m), ContextWindow = 8_191, SupportsStreaming = false,
        },
        // Image models: gpt-image bills its usage in tokens (text input, image output); dall-e bills per image.
        Image("openai/gpt-image-1", new(5.00m, 40.00m, 1.25m)),
        Image("openai/gpt-image-1-mini", new(2.00m, 8.00m, 0.20m)),
        Image("openai/dall-e-3", new(0m, 0m),
            new("standard", "1024x1024", 0.040m), new("standard", "1024x1792", 0.080m), new("standard", "1792x1024", 0.080m),
            new("hd", "1024x1024", 0.080m), new("hd", "1024x1792", 0.120m), new("hd", "1792x1024", 0.120m)),
        Image("openai/dall-e-2", new(0m, 0m),
            new("standard", "1024x1024", 0.020m), new("standard", "512x512", 0.018m), new("standard", "256x256", 0.016m)),
    ];

    private static CatalogModel Image(string id, ModelPrice tokenPrice, params ImagePrice[] perImage) => new()
    {
        Id = id,
        Provider = id[..id.IndexOf('/')],
        UpstreamModel = id[(id.IndexOf('/') + 1)..],
        Kind = ModelKind.Image,
        Price = tokenPrice,
        ImagePrices = perImage,
        SupportsStreaming = false,
    };

    private static CatalogModel Chat(string id, ModelPrice price, int context, int maxOutput, bool vision = false, bool reasoning = false)
    {
        var slash = id.IndexOf('/');
        return new CatalogModel
        {
            Id = id,
            Provider = id[..slash],
            UpstreamModel = id[(slash + 1)..],
            Kind = ModelKind.Chat,
            Price = price,
            ContextWindow = context,
            MaxOutputTokens = maxOutput,
            SupportsTools = true,
            SupportsVision = vision,
            SupportsReasoning = reasoning,
        };
    }
}
