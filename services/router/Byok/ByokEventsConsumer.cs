using MassTransit;
using Requesty.Contracts.Management;

namespace Requesty.Router.Byok;

/// <summary>Applies own-key changes published by management to this router instance's key ring.</summary>
public sealed class ByokEventsConsumer(OwnKeyRing ring) : IConsumer<ByokKeyChanged>
{
    public Task Consume(ConsumeContext<ByokKeyChanged> context)
    {
        ring.Apply(context.Message);
        return Task.CompletedTask;
    }
}
