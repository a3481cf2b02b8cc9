using MassTransit;
using Requesty.Analytics.Application.Ingestion;
using Requesty.Contracts.Events;

namespace Requesty.Analytics.Application.Mcp;

/// <summary>Consumes McpToolCalled in batches (one insert per batch); acknowledged only once stored.</summary>
public sealed class McpToolCalledBatchConsumer(McpToolCallWriter writer) : IConsumer<Batch<McpToolCalled>>
{
    public const string QueueName = "analytics-mcp-tool-called";

    public async Task Consume(ConsumeContext<Batch<McpToolCalled>> context)
    {
        var events = new List<McpToolCalled>(context.Message.Length);
        foreach (var item in context.Message) events.Add(item.Message);
        await writer.WriteAsync(events, context.CancellationToken);
    }

    public static void AddTo(IBusRegistrationConfigurator bus, IngestionOptions options) =>
        bus.AddConsumer<McpToolCalledBatchConsumer>(consumer => consumer.Options<BatchOptions>(batch => batch
            .SetMessageLimit(options.BatchSize)
            .SetTimeLimit(TimeSpan.FromMilliseconds(options.BatchTimeLimitMs))
            .SetConcurrencyLimit(1)));

    /// <summary>Same prefetch and retry policy as RequestCompleted ingestion (see <see cref="IngestionEndpoint"/>).</summary>
    public static void Configure(IBusRegistrationContext context, IReceiveEndpointConfigurator endpoint, IngestionOptions options)
    {
        endpoint.PrefetchCount = options.BatchSize;
        endpoint.ConcurrentMessageLimit = options.BatchSize;
        endpoint.UseMessageRetry(retry => retry.Exponential(
            options.RetryLimit,
            TimeSpan.FromMilliseconds(options.RetryMinIntervalMs),
            TimeSpan.FromMilliseconds(options.RetryMaxIntervalMs),
            TimeSpan.FromMilliseconds(options.RetryMinIntervalMs)));
        endpoint.ConfigureConsumer<McpToolCalledBatchConsumer>(context);
    }
}
