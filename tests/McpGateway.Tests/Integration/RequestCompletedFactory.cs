using Requesty.Contracts.Events;

namespace Requesty.McpGateway.Tests.Integration;

public static class RequestCompletedFactory
{
    public static RequestCompleted Create(Guid organizationId, params ToolCallMade[] toolCalls)
    {
        var completedAt = DateTime.UtcNow;
        return new RequestCompleted
        {
            RequestId = Guid.NewGuid(),
            StartedAt = completedAt.AddMilliseconds(-400),
            CompletedAt = completedAt,
            Caller = new RequestCaller { OrganizationId = organizationId, ApiKeyId = Guid.NewGuid(), UserId = Guid.NewGuid() },
            Endpoint = "chat.completions",
            RequestedModel = "openai/gpt-4o",
            ServedModel = "openai/gpt-4o",
            ServedProvider = "openai",
            HttpStatus = 200,
            Status = "success",
            CostUsd = 0.001m,
            LatencyMs = 400,
            ToolCalls = toolCalls,
        };
    }

    public static ToolCallMade Call(string name, int argumentsBytes, string? id = null) =>
        new() { Id = id, Name = name, ArgumentsBytes = argumentsBytes };
}
