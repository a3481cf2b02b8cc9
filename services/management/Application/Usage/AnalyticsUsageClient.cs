using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Requesty.Management.Application.Usage;

/// <summary>
/// Typed client of the analytics service's GET /v1/analytics/apikey/{id}/usage (Analytics:Url, authenticated
/// with Internal:Token plus the organisation id, the way every service calls analytics). Throws on any failure;
/// <see cref="KeyUsageService"/> turns failures into "usage_error".
/// </summary>
public sealed class AnalyticsUsageClient(HttpClient http)
{
    public const string DefaultUrl = "http://127.0.0.1:5082";
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public static void Configure(HttpClient http, IConfiguration configuration)
    {
        var url = configuration["Analytics:Url"] is { Length: > 0 } configured ? configured : DefaultUrl;
        http.BaseAddress = new Uri(url.EndsWith('/') ? url : url + "/");
        // One bounded wait: an unreachable or slow analytics must not hold the key details for long.
        http.Timeout = double.TryParse(configuration["Analytics:TimeoutSeconds"], CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : DefaultTimeout;
        if (configuration["Internal:Token"] is { Length: > 0 } token)
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public async Task<KeyUsageResponse> GetAsync(Guid organizationId, Guid apiKeyId, UsageQuery query, CancellationToken cancellationToken)
    {
        var uri = $"v1/analytics/apikey/{apiKeyId}/usage?org_id={organizationId}&from={Iso(query.Start)}&to={Iso(query.End)}&period={query.Period}";
        if (query.AnalyticsGroupBy is { } groupBy) uri += "&group_by=" + Uri.EscapeDataString(groupBy);

        using var response = await http.GetAsync(uri, cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new AnalyticsUnavailableException($"analytics answered {(int)response.StatusCode} {response.ReasonPhrase}");
        var body = await response.Content.ReadFromJsonAsync<AnalyticsUsage>(Json, cancellationToken)
            ?? throw new AnalyticsUnavailableException("analytics answered an empty body");
        return ToResponse(query, body);
    }

    private static KeyUsageResponse ToResponse(UsageQuery query, AnalyticsUsage body)
    {
        var series = body.Series ?? [];
        var groups = series.Select(s => new UsageGroup(
            s.Group ?? "",
            Figures(s.Totals),
            (s.Points ?? []).Select(p => UsagePeriod.From(Utc(p.T), Figures(p.Stats))).OrderBy(p => p.Start).ToList())).ToList();
        var periods = series.SelectMany(s => s.Points ?? [])
            .GroupBy(p => Utc(p.T))
            .OrderBy(g => g.Key)
            .Select(g => UsagePeriod.From(g.Key, g.Aggregate(UsageFigures.Zero, (sum, p) => sum.Plus(Figures(p.Stats)))))
            .ToList();
        return new KeyUsageResponse(query.Start, query.End, query.Period, query.GroupBy, Figures(body.Totals), periods,
            query.GroupBy is null ? null : groups);
    }

    private static UsageFigures Figures(AnalyticsStats? stats) => stats is null
        ? UsageFigures.Zero
        : new UsageFigures(stats.CostUsd, stats.Requests, stats.InputTokens + stats.OutputTokens, stats.InputTokens, stats.OutputTokens);

    private static DateTime Utc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };

    private static string Iso(DateTime value) => Uri.EscapeDataString(value.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));

    private sealed record AnalyticsUsage(AnalyticsStats? Totals, IReadOnlyList<AnalyticsSeries>? Series);

    private sealed record AnalyticsSeries(string? Group, AnalyticsStats? Totals, IReadOnlyList<AnalyticsPoint>? Points);

    private sealed record AnalyticsPoint(DateTime T, AnalyticsStats? Stats);

    private sealed record AnalyticsStats(ulong Requests, decimal CostUsd, ulong InputTokens, ulong OutputTokens);
}

/// <summary>Analytics could not answer (unreachable, timed out, or an error status).</summary>
public sealed class AnalyticsUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
