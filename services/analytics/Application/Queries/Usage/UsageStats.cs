using System.Text.Json.Serialization;
using Requesty.Analytics.Application.Queries.Common;

namespace Requesty.Analytics.Application.Queries.Usage;

/// <summary>The dashboard numbers of one slice of requests (a bucket, a group, a model or everything).</summary>
public sealed record UsageStats(
    ulong Requests,
    decimal CostUsd,
    decimal CostSavingsUsd,
    decimal CostSavingsPercent,
    ulong InputTokens,
    ulong OutputTokens,
    ulong CachedTokens,
    ulong CacheWriteTokens,
    ulong TotalTokens,
    decimal? LatencyAvgMs,
    uint LatencyP50Ms,
    uint LatencyP90Ms)
{
    public static UsageStats From(UsageRow row)
    {
        var cost = RequestScope.ParseNumber(row.Cost) ?? 0m;
        var savings = RequestScope.ParseNumber(row.Savings) ?? 0m;
        return new UsageStats(
            row.Requests, cost, savings, Percent(savings, cost + savings),
            row.InputTokens, row.OutputTokens, row.CachedTokens, row.CacheWriteTokens,
            row.InputTokens + row.OutputTokens + row.CachedTokens + row.CacheWriteTokens,
            RequestScope.ParseNumber(row.LatencyAvg) is { } avg ? Math.Round(avg, 3) : null, row.LatencyP50, row.LatencyP90);
    }

    /// <summary>part / whole in percent, 4 decimals; 0 when the whole is 0.</summary>
    public static decimal Percent(decimal part, decimal whole) => whole == 0m ? 0m : Math.Round(part * 100m / whole, 4);
}

/// <summary>A row of the usage aggregate query (see <see cref="UsageQueries"/>).</summary>
public sealed record UsageRow
{
    [JsonPropertyName("g")] public string G { get; init; } = "";
    [JsonPropertyName("t")] public string T { get; init; } = "";
    [JsonPropertyName("requests")] public ulong Requests { get; init; }
    [JsonPropertyName("cost")] public string? Cost { get; init; }
    [JsonPropertyName("savings")] public string? Savings { get; init; }
    [JsonPropertyName("input_tokens")] public ulong InputTokens { get; init; }
    [JsonPropertyName("output_tokens")] public ulong OutputTokens { get; init; }
    [JsonPropertyName("cached_tokens")] public ulong CachedTokens { get; init; }
    [JsonPropertyName("cache_write_tokens")] public ulong CacheWriteTokens { get; init; }
    [JsonPropertyName("cache_hits")] public ulong CacheHits { get; init; }
    [JsonPropertyName("latency_avg")] public string? LatencyAvg { get; init; }
    [JsonPropertyName("latency_sum")] public ulong LatencySum { get; init; }
    [JsonPropertyName("latency_p50")] public uint LatencyP50 { get; init; }
    [JsonPropertyName("latency_p90")] public uint LatencyP90 { get; init; }
}

[JsonSerializable(typeof(UsageRow))]
internal sealed partial class UsageRowsJson : JsonSerializerContext;
