using Microsoft.Extensions.Options;
using Requesty.ProviderSimulator.Infrastructure;

namespace Requesty.ProviderSimulator.Recording;

/// <summary>Bounded ring buffer of the latest requests (oldest dropped first), each with its response timeline.</summary>
public sealed class RequestLog(IOptions<SimulatorOptions> options)
{
    private readonly Lock _gate = new();
    private readonly Queue<(RecordedRequest Request, ResponseTimeline Timeline)> _entries = new();
    private readonly int _capacity = Math.Max(1, options.Value.RequestLogCapacity);

    public void Add(RecordedRequest request, ResponseTimeline timeline)
    {
        lock (_gate)
        {
            if (_entries.Count == _capacity) _entries.Dequeue();
            _entries.Enqueue((request, timeline));
        }
    }

    /// <summary>The newest <paramref name="limit"/> requests, oldest first (newest last), with their timelines as of now.</summary>
    public IReadOnlyList<RecordedRequest> Latest(int limit)
    {
        lock (_gate)
            return [.. _entries.Skip(Math.Max(0, _entries.Count - limit)).Select(e => e.Request with
            {
                HeadersSentAt = e.Timeline.HeadersSentAt,
                FirstContentAt = e.Timeline.FirstContentAt,
            })];
    }

    public void Clear()
    {
        lock (_gate) _entries.Clear();
    }
}
