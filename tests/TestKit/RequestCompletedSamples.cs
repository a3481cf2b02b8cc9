using Requesty.Contracts.Events;

namespace Requesty.TestKit;

/// <summary>RequestCompleted events as the router publishes them, for consumer tests.</summary>
public static class RequestCompletedSamples
{
    public const int LatencyMs = 250;

    /// <summary>
    /// A successful openai/gpt-4o chat completion that took <see cref="LatencyMs"/>. Ids not given
    /// are new (the user id stays null), <paramref name="completedAt"/> defaults to now (UTC).
    /// </summary>
    public static RequestCompleted Create(
        Guid organizationId,
        decimal costUsd = 0.001m,
        DateTime? completedAt = null,
        Guid? apiKeyId = null,
        Guid? userId = null,
        IReadOnlyList<Guid>? groupIds = null,
        IReadOnlyList<ToolCallMade>? toolCalls = null,
        Guid? requestId = null)
    {
        var completed = completedAt ?? DateTime.UtcNow;
        return new RequestCompleted
        {
            RequestId = requestId ?? Guid.NewGuid(),
            StartedAt = completed.AddMilliseconds(-LatencyMs),
            CompletedAt = completed,
            Caller = new RequestCaller
            {
                OrganizationId = organizationId,
                ApiKeyId = apiKeyId ?? Guid.NewGuid(),
                UserId = userId,
                GroupIds = groupIds ?? [],
            },
            Endpoint = "chat.completions",
            RequestedModel = "openai/gpt-4o",
            ServedModel = "openai/gpt-4o",
            ServedProvider = "openai",
            HttpStatus = 200,
            Status = "success",
            CostUsd = costUsd,
            LatencyMs = LatencyMs,
            ToolCalls = toolCalls ?? [],
        };
    }
}
