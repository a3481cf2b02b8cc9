using Microsoft.Extensions.DependencyInjection;
using Requesty.Analytics.Application.Ingestion;
using Requesty.Analytics.Application.Rollups;
using Requesty.Analytics.Infrastructure.Schema;
using Requesty.Analytics.Tests.Integration;
using Requesty.Contracts.Events;

namespace Requesty.Analytics.Tests.Support;

/// <summary>
/// Puts events in the state a reader meets a few minutes after ingestion: rolled up AND clean. Freshly written rows
/// stay dirty (read raw) until a roll's watermark (its start minus 5 minutes) passes their version, so the events are
/// written as if ingested 8 minutes ago, a regular roll moves the watermark past them, and their closed hours and days
/// are then rolled explicitly (the regular roll may not pick rows older than the previous watermark).
/// </summary>
public static class SettledRequests
{
    public static async Task WriteAndRollAsync(AnalyticsServiceFixture service, IReadOnlyList<RequestCompleted> events)
    {
        var writer = new ClickHouseRequestWriter(
            service.ClickHouse, service.Host.Services.GetRequiredService<SchemaReadiness>(), new ShiftedClock(TimeSpan.FromMinutes(-8)));
        await writer.WriteAsync(events, CancellationToken.None);
        var rollup = service.Host.Services.GetRequiredService<HourlyRollup>();
        await rollup.RunOnceAsync(CancellationToken.None);

        var now = DateTime.UtcNow;
        var openHour = new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerHour, DateTimeKind.Utc);
        var hours = events.Select(e => new DateTime(e.StartedAt.Ticks - e.StartedAt.Ticks % TimeSpan.TicksPerHour, DateTimeKind.Utc))
            .Where(h => h < openHour).Distinct().Order().ToList();
        var days = hours.Select(h => DateTime.SpecifyKind(h.Date, DateTimeKind.Utc)).Distinct().Where(d => d.AddDays(1) <= openHour).ToList();
        await rollup.RollAsync(hours, days, (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 1, CancellationToken.None);
    }

    private sealed class ShiftedClock(TimeSpan shift) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + shift;
    }
}
