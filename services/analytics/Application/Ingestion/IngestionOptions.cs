namespace Requesty.Analytics.Application.Ingestion;

/// <summary>Batching and retry of RequestCompleted ingestion (configuration section "Analytics:Ingestion").</summary>
public sealed class IngestionOptions
{
    public const string Section = "Analytics:Ingestion";

    /// <summary>Most single RequestCompleted messages per write (one ClickHouse insert per table per write).</summary>
    public int BatchSize { get; set; } = 5_000;

    /// <summary>
    /// Most RequestCompletedBatch messages per write. The router puts up to 100 events and 48 KB in one (about 35 events
    /// of a typical size), so 150 make inserts of about 5,000 events, as BatchSize does for single messages; fewer events
    /// per insert cost ClickHouse more than the consumer saves.
    /// </summary>
    public int BatchMessagesPerWrite { get; set; } = 150;

    /// <summary>
    /// Batches written at the same time. Two let the next batch fill (and be prefetched) while the previous insert runs;
    /// with one, a full batch holds the whole prefetch until its insert returns and the broker delivers nothing meanwhile.
    /// </summary>
    public int ConcurrentBatches { get; set; } = 2;

    /// <summary>A batch is written at the latest this long after its first message arrived.</summary>
    public int BatchTimeLimitMs { get; set; } = 500;

    /// <summary>Retries of a failed batch (exponential backoff) before its messages go to the _error queue.</summary>
    public int RetryLimit { get; set; } = 20;

    public int RetryMinIntervalMs { get; set; } = 500;

    public int RetryMaxIntervalMs { get; set; } = 60_000;
}
