using Requesty.Contracts.Events;
using Requesty.TestKit;

namespace Requesty.McpGateway.Tests.Integration;

/// <summary>Short forms for the tool-call events these tests publish.</summary>
public static class RequestCompletedFactory
{
    public static RequestCompleted Create(Guid organizationId, params ToolCallMade[] toolCalls) =>
        RequestCompletedSamples.Create(organizationId, userId: Guid.NewGuid(), toolCalls: toolCalls);

    public static ToolCallMade Call(string name, int argumentsBytes, string? id = null) =>
        new() { Id = id, Name = name, ArgumentsBytes = argumentsBytes };
}
