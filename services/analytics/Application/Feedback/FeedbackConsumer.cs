using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit;
using Requesty.Contracts.Events;

namespace Requesty.Analytics.Application.Feedback;

/// <summary>
/// Merges submitted feedback into the request's stored feedback. Runs one message at a time (see
/// FeedbackEndpoint) so two updates of the same request cannot lose each other's keys; a
/// redelivery merges the same keys again, which changes nothing.
/// </summary>
public sealed class FeedbackConsumer(FeedbackStore store, ILogger<FeedbackConsumer> logger) : IConsumer<FeedbackSubmitted>
{
    public const string QueueName = "analytics-feedback";

    public async Task Consume(ConsumeContext<FeedbackSubmitted> context)
    {
        var feedback = context.Message;
        JsonObject? data;
        try
        {
            data = JsonNode.Parse(feedback.Data) as JsonObject;
        }
        catch (JsonException)
        {
            data = null;
        }
        if (data is null)
        {
            logger.LogWarning("Feedback for {RequestId} is not a JSON object; ignored", feedback.RequestId);
            return;
        }
        await store.MergeAsync(feedback.RequestId, feedback.OrganizationId, data, context.CancellationToken);
    }
}
