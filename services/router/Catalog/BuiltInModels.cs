namespace Requesty.Router.Catalog;

/// <summary>The models known out of the box, with list prices in USD per million tokens.</summary>
public static class BuiltInModels
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
        Chat("anthropic/claude-sonnet-4-5", new(3.00m, 15.00m, 0.30m, 3.75m), 200_000, 64_000, vision: true, reasoning: true),
        Chat("anthropic/claude-sonnet-4-20250514", new(3.00m, 15.00m, 0.30m, 3.75m), 200_000, 64_000, vision: true, reasoning: true),
        Chat("anthropic/claude-haiku-4-5", new(1.00m, 5.00m, 0.10m, 1.25m), 200_000, 64_000, vision: true, reasoning: true),
        Chat("anthropic/claude-opus-4-1", new(15.00m, 75.00m, 1.50m, 18.75m), 200_000, 32_000, vision: true, reasoning: true),
        Chat("google/gemini-2.5-flash", new(0.30m, 2.50m, 0.075m), 1_048_576, 65_536, vision: true, reasoning: true),
        Chat("google/gemini-2.5-pro", new(1.25m, 10.00m, 0.31m), 1_048_576, 65_536, vision: true, reasoning: true),
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
    ];

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
