using Requesty.Contracts.Events;

namespace Requesty.Alerts.Tests.Integration;

public static class RequestCompletedFactory
{
    public static RequestCompleted Create(
        Guid organizationId, decimal costUsd, DateTime completedAt,
        Guid? userId = null, Guid? apiKeyId = null, IReadOnlyList<Guid>? groupIds = null, Guid? requestId = null) =>
        new()
        {
            RequestId = requestId ?? Guid.NewGuid(),
            StartedAt = completedAt.AddMilliseconds(-250),
            CompletedAt = completedAt,
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
            LatencyMs = 250,
        };
}
