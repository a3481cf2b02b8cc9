using MassTransit;
using Requesty.Contracts.Management;

namespace Requesty.Router.Keys;

/// <summary>Applies key changes published by management to this router instance's cache.</summary>
public sealed class KeyEventsConsumer(KeyCache cache) : IConsumer<ApiKeyUpserted>, IConsumer<ApiKeyRevoked>
{
    public Task Consume(ConsumeContext<ApiKeyUpserted> context)
    {
        cache.Upsert(context.Message.Key);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<ApiKeyRevoked> context)
    {
        cache.Revoke(context.Message.KeyHash);
        return Task.CompletedTask;
    }
}
