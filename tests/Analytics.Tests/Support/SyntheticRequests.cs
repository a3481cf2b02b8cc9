using Requesty.Contracts.Events;

namespace Requesty.Analytics.Tests.Support;

/// <summary>
/// A deterministic synthetic traffic set for one organization (fixed seed): several models, providers,
/// keys, users, tags and metadata values, costs with 9 decimals, latencies, some requests without TTFT.
/// </summary>
public static class SyntheticRequests
{
    public static readonly DateTime Start = new(2025, 6, 2, 0, 0, 0, DateTimeKind.Utc);
    public static readonly string[] Models = ["openai/gpt-4o", "openai/gpt-4.1-mini", "anthropic/claude-sonnet-4-5", "google/gemini-2.5-pro"];
    public static readonly string?[] Features = ["chat", "chat-v2", "search", null];
    public static readonly string[] Tags = ["alpha", "beta", "gamma"];

    public static List<RequestCompleted> Generate(Guid organizationId, int count, int seed = 42)
    {
        var random = new Random(seed);
        var keys = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid()).ToArray();
        var users = Enumerable.Range(0, 4).Select(_ => Guid.NewGuid()).ToArray();
        var events = new List<RequestCompleted>(count);
        for (var i = 0; i < count; i++)
        {
            var template = Events.Completed(organizationId, startedAt: Start.AddSeconds(random.Next(0, 3 * 24 * 3600)));
            var model = Models[random.Next(Models.Length)];
            var failed = random.Next(20) == 0;
            var cost = random.Next(0, 5_000_000) / 1_000_000_000m * random.Next(1, 1000);
            var feature = Features[random.Next(Features.Length)];
            var extra = new Dictionary<string, string> { ["tier"] = random.Next(2) == 0 ? "free" : "premium" };
            if (feature is not null) extra["feature"] = feature;
            var latency = random.Next(50, 5000);
            events.Add(template with
            {
                Caller = template.Caller with { ApiKeyId = keys[random.Next(keys.Length)], UserId = users[random.Next(users.Length)] },
                RequestedModel = model,
                ServedModel = failed ? null : model,
                ServedProvider = failed ? null : model.Split('/')[0],
                Status = failed ? "error" : "success",
                Usage = new TokenUsage
                {
                    InputTokens = random.Next(0, 4000),
                    OutputTokens = random.Next(0, 1000),
                    CacheReadTokens = random.Next(3) == 0 ? random.Next(1, 8000) : 0,
                    CacheWriteTokens = random.Next(10) == 0 ? random.Next(1, 500) : 0,
                },
                CostUsd = cost,
                CostWithoutCacheUsd = random.Next(3) == 0 ? cost * 2 + 0.000000001m : cost,
                LatencyMs = latency,
                TimeToFirstTokenMs = random.Next(4) == 0 ? null : random.Next(10, latency),
                Metadata = template.Metadata with
                {
                    Tags = [.. Tags.Where(_ => random.Next(2) == 0)],
                    Extra = extra,
                },
            });
        }
        return events;
    }

    public static string ModelOf(RequestCompleted e) => e.ServedModel ?? e.RequestedModel;

    public static string? Meta(RequestCompleted e, string key) => e.Metadata.Extra.GetValueOrDefault(key);

    public static decimal Savings(RequestCompleted e) => e.CostWithoutCacheUsd > e.CostUsd ? e.CostWithoutCacheUsd - e.CostUsd : 0m;

    public static long TotalTokens(RequestCompleted e) => e.Usage.TotalTokens;

    /// <summary>The definition quantileExact uses: the element at floor(level * n) of the sorted values.</summary>
    public static decimal QuantileExact(IEnumerable<decimal> values, double level)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Floor(level * sorted.Count))];
    }
}
