namespace Requesty.Alerts.Application.Delivery;

/// <summary>Alerts:Delivery:* settings.</summary>
public sealed class DeliveryOptions
{
    public const string Section = "Alerts:Delivery";

    /// <summary>Runs the background sender (turn off to let deliveries pile up, e.g. for a restart drill).</summary>
    public bool Enabled { get; set; } = true;
    /// <summary>Retries after the first attempt (the spec: 3).</summary>
    public int MaxRetries { get; set; } = 3;
    /// <summary>Per-attempt timeout (the spec: 15 s).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(15);
    /// <summary>First backoff; doubles on each retry.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(2);
    /// <summary>How often the outbox is polled when idle.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
    /// <summary>Deliveries sent at once per instance.</summary>
    public int BatchSize { get; set; } = 8;

    public int MaxAttempts => MaxRetries + 1;

    /// <summary>How long a claimed delivery stays invisible to other instances: longer than every attempt and backoff together.</summary>
    public TimeSpan Lease
    {
        get
        {
            var backoff = TimeSpan.Zero;
            for (var retry = 0; retry < MaxRetries; retry++) backoff += BaseDelay * Math.Pow(2, retry);
            return AttemptTimeout * MaxAttempts + backoff + TimeSpan.FromSeconds(30);
        }
    }
}

/// <summary>Alerts:Webhooks:* settings.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Alerts:Webhooks";

    /// <summary>Allow loopback, private, link-local and other internal addresses. Null = only in Development.</summary>
    public bool? AllowPrivateAddresses { get; set; }
    /// <summary>Base64 of a 32-byte AES key encrypting per-webhook signing secrets; without it secrets are refused.</summary>
    public string? SecretKey { get; set; }
}
