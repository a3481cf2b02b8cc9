using System.Collections.Concurrent;

namespace Requesty.Router.Routing;

/// <summary>
/// Rolling latency per organisation, model and key source: the last <see cref="WindowSize"/> successful
/// requests within <see cref="MaxAge"/> (time to first token for streams, total time otherwise).
/// In memory and per router instance; the request path only takes a short per-model lock.
/// </summary>
public sealed class LatencyTracker(TimeProvider time)
{
    public const int WindowSize = 100;
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(60);

    private readonly ConcurrentDictionary<(Guid Organization, string Model, string KeySource), Window> _windows = new();

    public void Record(Guid organizationId, string model, string keySource, TimeSpan latency) =>
        _windows.GetOrAdd((organizationId, model, keySource), _ => new Window()).Add(time.GetUtcNow(), latency.TotalMilliseconds);

    /// <summary>Samples in the window and their median in milliseconds (null without samples).</summary>
    public (int Samples, double? MedianMs) Stats(Guid organizationId, string model, string keySource = "platform") =>
        _windows.TryGetValue((organizationId, model, keySource), out var window) ? window.Stats(time.GetUtcNow() - MaxAge) : (0, null);

    private sealed class Window
    {
        private readonly Queue<(DateTimeOffset At, double Ms)> _samples = new();

        public void Add(DateTimeOffset at, double ms)
        {
            lock (_samples)
            {
                _samples.Enqueue((at, ms));
                while (_samples.Count > WindowSize) _samples.Dequeue();
            }
        }

        public (int, double?) Stats(DateTimeOffset notBefore)
        {
            double[] values;
            lock (_samples)
            {
                while (_samples.Count > 0 && _samples.Peek().At < notBefore) _samples.Dequeue();
                values = _samples.Select(s => s.Ms).ToArray();
            }
            if (values.Length == 0) return (0, null);
            Array.Sort(values);
            var middle = values.Length / 2;
            return (values.Length, values.Length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2);
        }
    }
}
