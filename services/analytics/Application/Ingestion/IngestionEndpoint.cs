using MassTransit;

namespace Requesty.Analytics.Application.Ingestion;

/// <summary>
/// The receive endpoints that feed ClickHouse: one queue for the router's RequestCompletedBatch messages and one for single
/// RequestCompleted messages. Separate queues because their messages differ ~100-fold in size, and prefetch counts messages.
/// </summary>
public static class IngestionEndpoint
{
    public const string QueueName = "analytics-request-completed";
    public const string BatchQueueName = "analytics-request-completed-batches";

    public static void AddConsumers(IBusRegistrationConfigurator bus, IngestionOptions options)
    {
        bus.AddConsumer<RequestCompletedConsumer>(consumer => consumer.Options<BatchOptions>(batch => batch
            .SetMessageLimit(options.BatchSize)
            .SetTimeLimit(TimeSpan.FromMilliseconds(options.BatchTimeLimitMs))
            .SetConcurrencyLimit(options.ConcurrentBatches)));
        bus.AddConsumer<RequestCompletedBatchConsumer>(consumer => consumer.Options<BatchOptions>(batch => batch
            .SetMessageLimit(options.BatchMessagesPerWrite)
            .SetTimeLimit(TimeSpan.FromMilliseconds(options.BatchTimeLimitMs))
            .SetConcurrencyLimit(options.ConcurrentBatches)));
    }

    /// <summary>
    /// Prefetch covers every batch that may be in flight (otherwise batches wait for the time limit half-empty). A failed
    /// batch is retried with exponential backoff while its messages stay unacknowledged; after the
    /// last retry MassTransit moves them to the queue's _error queue (nothing is dropped).
    /// </summary>
    public static void Configure(IBusRegistrationContext context, IReceiveEndpointConfigurator endpoint, IngestionOptions options)
    {
        Prepare(endpoint, options, options.BatchSize * options.ConcurrentBatches);
        endpoint.ConfigureConsumer<RequestCompletedConsumer>(context);
    }

    /// <summary>The same for the router's batches, with prefetch counted in batch messages.</summary>
    public static void ConfigureBatches(IBusRegistrationContext context, IReceiveEndpointConfigurator endpoint, IngestionOptions options)
    {
        Prepare(endpoint, options, options.BatchMessagesPerWrite * options.ConcurrentBatches);
        endpoint.ConfigureConsumer<RequestCompletedBatchConsumer>(context);
    }

    private static void Prepare(IReceiveEndpointConfigurator endpoint, IngestionOptions options, int inFlightMessages)
    {
        endpoint.PrefetchCount = inFlightMessages;
        endpoint.ConcurrentMessageLimit = inFlightMessages;
        endpoint.UseMessageRetry(retry => retry.Exponential(
            options.RetryLimit,
            TimeSpan.FromMilliseconds(options.RetryMinIntervalMs),
            TimeSpan.FromMilliseconds(options.RetryMaxIntervalMs),
            TimeSpan.FromMilliseconds(options.RetryMinIntervalMs)));
    }
}
