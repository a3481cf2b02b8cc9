using MassTransit;

namespace Requesty.Analytics.Application.Ingestion;

/// <summary>The receive endpoint that feeds ClickHouse.</summary>
public static class IngestionEndpoint
{
    public const string QueueName = "analytics-request-completed";

    public static void AddConsumers(IBusRegistrationConfigurator bus, IngestionOptions options) =>
        bus.AddConsumer<RequestCompletedBatchConsumer>(consumer => consumer.Options<BatchOptions>(batch => batch
            .SetMessageLimit(options.BatchSize)
            .SetTimeLimit(TimeSpan.FromMilliseconds(options.BatchTimeLimitMs))
            .SetConcurrencyLimit(options.ConcurrentBatches)));

    /// <summary>
    /// Prefetch covers every batch that may be in flight (otherwise batches wait for the time limit half-empty). A failed
    /// batch is retried with exponential backoff while its messages stay unacknowledged; after the
    /// last retry MassTransit moves them to the queue's _error queue (nothing is dropped).
    /// </summary>
    public static void Configure(IBusRegistrationContext context, IReceiveEndpointConfigurator endpoint, IngestionOptions options)
    {
        endpoint.PrefetchCount = options.BatchSize * options.ConcurrentBatches;
        endpoint.ConcurrentMessageLimit = options.BatchSize * options.ConcurrentBatches;
        endpoint.UseMessageRetry(retry => retry.Exponential(
            options.RetryLimit,
            TimeSpan.FromMilliseconds(options.RetryMinIntervalMs),
            TimeSpan.FromMilliseconds(options.RetryMaxIntervalMs),
            TimeSpan.FromMilliseconds(options.RetryMinIntervalMs)));
        endpoint.ConfigureConsumer<RequestCompletedBatchConsumer>(context);
    }
}
