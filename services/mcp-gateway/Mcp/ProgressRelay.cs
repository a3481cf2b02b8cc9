using System.Diagnostics;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Requesty.McpGateway.Mcp;

/// <summary>
/// Forwards the upstream's notifications/progress for one tools/call to the gateway's caller, under
/// the caller's progress token, and <see cref="DrainAsync"/> makes sure they all precede the result
/// on the caller's SSE response. A failed send (caller gone) only loses that notification.
///
/// The SDK client handles every incoming message on its own task, so notifications that arrive in a
/// burst (SSE upstreams often flush several at once) reach <see cref="Report"/> in any order, and
/// the last ones can even come after the result. Hence: reports are collected for
/// <see cref="CoalesceWindow"/> and sent in ascending progress order, a value not above the last sent
/// one is dropped (MCP requires progress to increase), and before the result the relay waits up
/// to <see cref="StragglerGrace"/> unless the progress already reached its total.
/// </summary>
public sealed class ProgressRelay(McpServer caller, ProgressToken token, ILogger logger) : IProgress<ProgressNotificationValue>
{
    public static readonly TimeSpan CoalesceWindow = TimeSpan.FromMilliseconds(20);
    public static readonly TimeSpan StragglerGrace = TimeSpan.FromMilliseconds(150);

    private readonly Lock _gate = new();
    private readonly List<ProgressNotificationValue> _buffer = [];
    private Task _pump = Task.CompletedTask;
    private bool _pumping;
    private bool _final;
    private float? _lastSent;

    public void Report(ProgressNotificationValue value)
    {
        lock (_gate)
        {
            _buffer.Add(value);
            _final |= value.Total is { } total && value.Progress >= total;
            if (_pumping) return;
            _pumping = true;
            _pump = Task.Run(PumpAsync);
        }
    }

    /// <summary>Waits until every notification reported so far (and late stragglers) was sent.</summary>
    public async Task DrainAsync()
    {
        var started = Stopwatch.GetTimestamp();
        while (!IsFinal && Stopwatch.GetElapsedTime(started) < StragglerGrace) await Task.Delay(10);
        while (true)
        {
            Task pump;
            lock (_gate)
            {
                if (!_pumping) return;
                pump = _pump;
            }
            await pump;
        }
    }

    private async Task PumpAsync()
    {
        while (true)
        {
            await Task.Delay(CoalesceWindow);
            List<ProgressNotificationValue> batch;
            lock (_gate)
            {
                if (_buffer.Count == 0)
                {
                    _pumping = false;
                    return;
                }
                batch = [.. _buffer.OrderBy(v => v.Progress)];
                _buffer.Clear();
            }
            foreach (var value in batch)
            {
                if (_lastSent is { } last && value.Progress <= last) continue;
                _lastSent = value.Progress;
                try
                {
                    await caller.NotifyProgressAsync(token, value);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    logger.LogDebug(e, "A progress notification could not be relayed to the caller");
                }
            }
        }
    }

    private bool IsFinal
    {
        get
        {
            lock (_gate) return _final;
        }
    }
}
