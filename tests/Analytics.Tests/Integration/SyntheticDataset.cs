using Requesty.Analytics.Tests.Support;
using Requesty.Contracts.Events;

namespace Requesty.Analytics.Tests.Integration;

/// <summary>
/// One organization's synthetic traffic, stored once per test run (the first test that needs it writes it).
/// A slice is written a second time, as a redelivery would, so every expectation also proves duplicates count once.
/// </summary>
public static class SyntheticDataset
{
    public const int Size = 3000;
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static (Guid Org, List<RequestCompleted> Events)? _stored;

    public static async Task<(Guid Org, List<RequestCompleted> Events)> EnsureAsync(AnalyticsServiceFixture service)
    {
        await Gate.WaitAsync();
        try
        {
            if (_stored is { } stored) return stored;
            var org = Guid.NewGuid();
            var events = SyntheticRequests.Generate(org, Size);
            await service.Writer.WriteAsync(events, CancellationToken.None);
            await service.Writer.WriteAsync(events.Take(300).ToList(), CancellationToken.None);
            _stored = (org, events);
            return _stored.Value;
        }
        finally
        {
            Gate.Release();
        }
    }
}
