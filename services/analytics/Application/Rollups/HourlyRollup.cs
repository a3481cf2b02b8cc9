using System.Globalization;
using System.Text.Json.Serialization;
using Requesty.Analytics.Infrastructure.ClickHouse;

namespace Requesty.Analytics.Application.Rollups;

/// <summary>
/// Rolls closed hours of <c>requests</c> (read with FINAL, so duplicates count once) into <c>requests_hourly</c>, and
/// closed days into <c>latency_daily</c> / <c>latency_daily_quantiles</c> (see <see cref="DailyLatency"/>).
/// Which hours: those holding rows ingested (row version = ingestion ms) after the previous roll's watermark.
/// A roll's watermark is its start minus <see cref="CommitAllowance"/>: a row's version is taken just before its
/// insert, which commits well within that time (inserts time out after 30 s), so every row committed after a roll
/// read the table has a version above that roll's watermark and is picked up by the next one. Readers treat hours
/// with rows above the latest watermark as dirty and read them raw, so answers are exact at any moment.
/// </summary>
public sealed class HourlyRollup(ClickHouseClient clickHouse, TimeProvider clock, ILogger<HourlyRollup> logger)
{
    public static readonly TimeSpan CommitAllowance = TimeSpan.FromMinutes(5);
    private const int HoursPerInsert = 168;
    private const int DaysPerInsert = 7;

    public const string ModelExpression = "if(served_model != '', served_model, requested_model)";
    public const string Savings = "if(cost_without_cache_usd > cost_usd, cost_without_cache_usd - cost_usd, toDecimal64(0, 9))";

    /// <summary>The latest completed roll, or null when none has run yet.</summary>
    public async Task<RollupState?> LatestAsync(CancellationToken cancellationToken)
    {
        var rows = await clickHouse.QueryAsync(
            "SELECT toString(rolled_until) AS rolled_until, watermark FROM rollup_runs ORDER BY finished_at DESC, rolled_until DESC LIMIT 1",
            RollupJson.Default.RollupStateRow, cancellationToken);
        return rows is [var row] ? new RollupState(Parse(row.RolledUntil), row.Watermark) : null;
    }

    /// <summary>Rolls every dirty closed hour (all organisations) and records the run; returns the hours rolled.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var openHour = new DateTime(now.UtcDateTime.Ticks - now.UtcDateTime.Ticks % TimeSpan.TicksPerHour, DateTimeKind.Utc);
        var watermark = (ulong)Math.Max(0, (now - CommitAllowance).ToUnixTimeMilliseconds());
        var previous = await LatestAsync(cancellationToken);

        var dirty = (await clickHouse.QueryAsync(
            $"""
            SELECT DISTINCT toString(toStartOfHour(started_at)) AS hour FROM requests
            WHERE version > {previous?.Watermark ?? 0} AND started_at < {SqlLiteral.DateTime(openHour)}
            ORDER BY hour
            """,
            RollupJson.Default.HourRow, cancellationToken)).Select(h => Parse(h.Hour)).ToList();

        await RollAsync(dirty, DaysToBuild(dirty, previous, openHour), (ulong)now.ToUnixTimeMilliseconds(), cancellationToken);

        await clickHouse.ExecuteAsync(
            $"INSERT INTO rollup_runs (rolled_until, watermark, finished_at) VALUES ({SqlLiteral.DateTime(openHour)}, {watermark}, {SqlLiteral.DateTime(clock.GetUtcNow().UtcDateTime)})",
            cancellationToken);
        if (dirty.Count > 0) logger.LogInformation("Rolled up {Hours} hours of requests", dirty.Count);
        return dirty.Count;
    }

    /// <summary>
    /// Rolls the given closed hours into requests_hourly and rebuilds the latency tables of the given closed days, all
    /// with <paramref name="version"/> (newer than anything before it). Records no run: readers still treat hours with
    /// rows newer than the latest run's watermark as dirty, so rolling more than needed is always safe.
    /// </summary>
    public async Task RollAsync(IReadOnlyList<DateTime> hours, IReadOnlyList<DateTime> days, ulong version, CancellationToken cancellationToken)
    {
        foreach (var chunk in hours.Chunk(HoursPerInsert))
            await clickHouse.ExecuteAsync(RollSql(chunk, version), cancellationToken);
        foreach (var chunk in days.Chunk(DaysPerInsert))
        {
            await clickHouse.ExecuteAsync(DailyHistogramSql(chunk, version), cancellationToken);
            await clickHouse.ExecuteAsync(DailyQuantilesSql(chunk, version), cancellationToken);
        }
    }

    /// <summary>
    /// Closed days whose latency tables must be (re)built: days of dirty hours, and days that closed since the previous
    /// roll (their last hours may have had no rows at all, so no dirty hour announces them).
    /// </summary>
    public static IReadOnlyList<DateTime> DaysToBuild(IEnumerable<DateTime> dirtyHours, RollupState? previous, DateTime openHour)
    {
        var days = new SortedSet<DateTime>(dirtyHours.Select(h => h.Date));
        if (previous is not null)
        {
            for (var day = previous.RolledUntil.Date.AddDays(-1); day.AddDays(1) <= openHour; day = day.AddDays(1))
                if (day.AddDays(1) > previous.RolledUntil) days.Add(day);
        }
        return [.. days.Where(d => d.AddDays(1) <= openHour).Select(d => DateTime.SpecifyKind(d, DateTimeKind.Utc))];
    }

    private static string DaysWhere(IReadOnlyList<DateTime> days) => $"""
        started_at >= {SqlLiteral.DateTime(days[0])} AND started_at < {SqlLiteral.DateTime(days[^1].AddDays(1))}
          AND toStartOfDay(started_at) IN ({string.Join(", ", days.Select(SqlLiteral.DateTime))})
        """;

    private static string DailyHistogramSql(IReadOnlyList<DateTime> days, ulong version) => $"""
        INSERT INTO latency_daily
        SELECT organization_id, toStartOfDay(started_at) AS day, latency_ms, count(), {version}
        FROM requests FINAL
        WHERE {DaysWhere(days)}
        GROUP BY organization_id, day, latency_ms
        """;

    private static string DailyQuantilesSql(IReadOnlyList<DateTime> days, ulong version) => $"""
        INSERT INTO latency_daily_quantiles
        SELECT organization_id, toStartOfDay(started_at) AS day, quantileExact(0.5)(latency_ms), quantileExact(0.9)(latency_ms), {version}
        FROM requests FINAL
        WHERE {DaysWhere(days)}
        GROUP BY organization_id, day
        """;

    private static string RollSql(IReadOnlyList<DateTime> hours, ulong version) => $"""
        INSERT INTO requests_hourly
        SELECT organization_id, toStartOfHour(started_at) AS hour, {ModelExpression} AS model, user_id, api_key_id,
               count(), sum(cost_usd), sum({Savings}), sum(input_tokens), sum(output_tokens), sum(cache_read_tokens),
               sum(cache_write_tokens), countIf(cache_read_tokens > 0), sum(latency_ms), quantilesExactState(0.5, 0.9)(latency_ms),
               {version}
        FROM requests FINAL
        WHERE started_at >= {SqlLiteral.DateTime(hours[0])} AND started_at < {SqlLiteral.DateTime(hours[^1].AddHours(1))}
          AND toStartOfHour(started_at) IN ({string.Join(", ", hours.Select(SqlLiteral.DateTime))})
        GROUP BY organization_id, hour, model, user_id, api_key_id
        """;

    public static DateTime Parse(string value) => DateTime.ParseExact(
        value, SqlLiteral.DateTimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}

/// <summary>Every hour before <see cref="RolledUntil"/> is rolled up; rows with a version above <see cref="Watermark"/> may be missing from it.</summary>
public sealed record RollupState(DateTime RolledUntil, ulong Watermark);

public sealed record RollupStateRow(
    [property: JsonPropertyName("rolled_until")] string RolledUntil, [property: JsonPropertyName("watermark")] ulong Watermark);

public sealed record HourRow([property: JsonPropertyName("hour")] string Hour);

[JsonSerializable(typeof(RollupStateRow))]
[JsonSerializable(typeof(HourRow))]
internal sealed partial class RollupJson : JsonSerializerContext;
