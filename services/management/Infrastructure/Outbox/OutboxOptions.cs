namespace Requesty.Management.Infrastructure.Outbox;

/// <summary>Configuration section "Outbox".</summary>
public sealed class OutboxOptions
{
    /// <summary>Checkpoint row name; instances sharing a name share (and take turns on) one position.</summary>
    public string Name { get; set; } = "rabbitmq";
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);
    public int BatchSize { get; set; } = 200;
}
