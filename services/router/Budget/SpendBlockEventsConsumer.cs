using MassTransit;
using Requesty.Contracts.Management;

namespace Requesty.Router.Budget;

/// <summary>Applies spend-limit changes published by management to this router instance's block set.</summary>
public sealed class SpendBlockEventsConsumer(SpendBlockSet blocks) : IConsumer<SpendLimitReached>, IConsumer<SpendLimitCleared>
{
    public Task Consume(ConsumeContext<SpendLimitReached> context)
    {
        blocks.Apply(context.Message);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<SpendLimitCleared> context)
    {
        blocks.Apply(context.Message);
        return Task.CompletedTask;
    }
}
