namespace Requesty.Analytics.Infrastructure.Schema;

/// <summary>Signals that the ClickHouse schema is up to date; ingestion waits for it.</summary>
public sealed class SchemaReadiness
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsReady => _ready.Task.IsCompleted;

    public void MarkReady() => _ready.TrySetResult();

    /// <summary>Waits up to <paramref name="timeout"/>; throws <see cref="SchemaNotReadyException"/> after it (the message is then retried).</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await _ready.Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException ex)
        {
            throw new SchemaNotReadyException(ex);
        }
    }
}

public sealed class SchemaNotReadyException(Exception inner)
    : Exception("The analytics schema in ClickHouse has not been migrated yet.", inner);
