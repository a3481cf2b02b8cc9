namespace Requesty.Management.Application.Startup;

/// <summary>Opens once the schema is migrated and the bootstrap ran; background work waits on it.</summary>
public sealed class StartupGate
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsOpen => _ready.Task.IsCompletedSuccessfully;

    public void Open() => _ready.TrySetResult();

    public Task WaitAsync(CancellationToken cancellationToken) => _ready.Task.WaitAsync(cancellationToken);
}
