namespace Requesty.ProviderSimulator.Recording;

/// <summary>
/// When the simulator sent the response headers and the first content chunk of one request. Each moment is set once
/// by the request's own thread and read by /__sim/requests on another, hence the interlocked ticks (0 = not yet).
/// </summary>
public sealed class ResponseTimeline
{
    private long _headersSentTicks;
    private long _firstContentTicks;

    public DateTimeOffset? HeadersSentAt => Read(ref _headersSentTicks);

    public DateTimeOffset? FirstContentAt => Read(ref _firstContentTicks);

    public void MarkHeadersSent() => MarkOnce(ref _headersSentTicks);

    public void MarkFirstContent() => MarkOnce(ref _firstContentTicks);

    private static void MarkOnce(ref long ticks) => Interlocked.CompareExchange(ref ticks, DateTimeOffset.UtcNow.UtcTicks, 0);

    private static DateTimeOffset? Read(ref long ticks)
    {
        var value = Interlocked.Read(ref ticks);
        return value == 0 ? null : new DateTimeOffset(value, TimeSpan.Zero);
    }
}
