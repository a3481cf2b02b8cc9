using MassTransit;
using Requesty.Contracts.Management;

namespace Requesty.Router.Routing;

/// <summary>Applies policy changes published by management to this router instance's cache.</summary>
public sealed class PolicyEventsConsumer(PolicyCache cache) : IConsumer<PolicyUpserted>, IConsumer<PolicyDeleted>
{
    public Task Consume(ConsumeContext<PolicyUpserted> context)
    {
        cache.Upsert(context.Message.Policy);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<PolicyDeleted> context)
    {
        cache.Delete(context.Message.OrganizationId, context.Message.Name, context.Message.Version);
        return Task.CompletedTask;
    }
}
