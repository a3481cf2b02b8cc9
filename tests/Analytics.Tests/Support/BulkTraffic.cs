using Requesty.Contracts.Events;

namespace Requesty.Analytics.Tests.Support;

/// <summary>
/// Large deterministic synthetic traffic (ids too come from the seeded generator): lean events with the
/// fields the dashboards aggregate (model, user, status, tokens, cache, cost with 9 decimals, latency).
/// 100k events take well under a second.
/// </summary>
public static class BulkTraffic
{
    public static readonly DateTime Start = new(2025, 9, 1, 0, 0, 0, DateTimeKind.Utc);
    public const int Days = 3;
    public static readonly string[] Models = ["openai/gpt-4o", "openai/gpt-4.1-mini", "anthropic/claude-sonnet-4-5", "google/gemini-2.5-pro", "mistral/mistral-large"];

    public static List<RequestCompleted> Generate(Guid organizationId, int count, int seed)
    {
        var random = new Random(seed);
        Guid NextGuid()
        {
            Span<byte> bytes = stackalloc byte[16];
            random.NextBytes(bytes);
            return new Guid(bytes);
        }
        var users = Enumerable.Range(0, 6).Select(_ => NextGuid()).ToArray();
        var keys = Enumerable.Range(0, 6).Select(_ => NextGuid()).ToArray();
        var events = new List<RequestCompleted>(count);
        for (var i = 0; i < count; i++)
        {
            var model = Models[random.Next(Models.Length)];
            var who = random.Next(users.Length);
            var failed = random.Next(25) == 0;
            var started = Start.AddMilliseconds(random.NextInt64(0, Days * 24L * 3600 * 1000));
            var latency = random.Next(20, 20_000);
            var cost = random.Next(0, 2_000_000_000) / 1_000_000_000m;
            var cached = random.Next(3) == 0 ? random.Next(1, 9000) : 0;
            events.Add(new RequestCompleted
            {
                RequestId = NextGuid(),
                StartedAt = started,
                CompletedAt = started.AddMilliseconds(latency),
                Caller = new RequestCaller { OrganizationId = organizationId, ApiKeyId = keys[who], UserId = users[who] },
                Endpoint = "chat.completions",
                RequestedModel = model,
                ServedModel = failed ? null : model,
                ServedProvider = failed ? null : model.Split('/')[0],
                HttpStatus = failed ? 502 : 200,
                Status = failed ? "error" : "success",
                ErrorKind = failed ? "upstream_error" : null,
                Usage = new TokenUsage
                {
                    InputTokens = random.Next(0, 6000),
                    OutputTokens = random.Next(0, 2000),
                    CacheReadTokens = cached,
                    CacheWriteTokens = random.Next(12) == 0 ? random.Next(1, 700) : 0,
                },
                CostUsd = cost,
                CostWithoutCacheUsd = cached > 0 ? cost + random.Next(1, 1_000_000) / 1_000_000_000m : cost,
                LatencyMs = latency,
                TimeToFirstTokenMs = random.Next(4) == 0 ? null : random.Next(5, latency),
            });
        }
        return events;
    }
}
