namespace Requesty.Management.Extensions;

/// <summary>Configuration section "RabbitMq" (besides Uri, which the shared bus setup reads).</summary>
public sealed class MessagingOptions
{
    /// <summary>Prepended to queue names, so parallel test hosts get their own queues.</summary>
    public string QueuePrefix { get; set; } = "";

    /// <summary>Auto-delete, non-durable queues (tests); production queues are durable.</summary>
    public bool TemporaryQueues { get; set; }
}
