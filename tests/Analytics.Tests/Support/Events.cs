using Requesty.Contracts.Events;

namespace Requesty.Analytics.Tests.Support;

/// <summary>Builds realistic RequestCompleted events for tests.</summary>
public static class Events
{
    public static RequestCompleted Completed(Guid organizationId, Guid? requestId = null, DateTime? startedAt = null, decimal cost = 0.0012345m)
    {
        var started = startedAt ?? new DateTime(2025, 3, 14, 15, 9, 26, DateTimeKind.Utc);
        return new RequestCompleted
        {
            RequestId = requestId ?? Guid.NewGuid(),
            StartedAt = started,
            FirstTokenAt = started.AddMilliseconds(180),
            CompletedAt = started.AddMilliseconds(950),
            Caller = new RequestCaller
            {
                OrganizationId = organizationId,
                ApiKeyId = Guid.NewGuid(),
                UserId = Guid.NewGuid(),
                GroupIds = [Guid.NewGuid(), Guid.NewGuid()],
            },
            Endpoint = "chat.completions",
            RequestedModel = "policy/sonnet",
            ServedModel = "anthropic/claude-sonnet-4-5",
            ServedProvider = "anthropic",
            PolicyName = "sonnet",
            Attempts =
            [
                new UpstreamAttempt { Model = "openai/gpt-4o", Provider = "openai", HttpStatus = 429, ErrorKind = "rate_limit", LatencyMs = 40 },
                new UpstreamAttempt { Model = "anthropic/claude-sonnet-4-5", Provider = "anthropic", KeySource = "byok", HttpStatus = 200, LatencyMs = 900 },
            ],
            Stream = true,
            HttpStatus = 200,
            Status = "success",
            Usage = new TokenUsage { InputTokens = 120, OutputTokens = 45, CacheReadTokens = 1000, CacheWriteTokens = 10, ReasoningTokens = 5 },
            CostUsd = cost,
            CostWithoutCacheUsd = cost * 3,
            TimeToFirstTokenMs = 180,
            LatencyMs = 950,
            ToolsOffered = [new ToolOffered { Name = "get_weather" }, new ToolOffered { Name = "web_search" }],
            ToolCalls = [new ToolCallMade { Id = "call_1", Name = "get_weather", ArgumentsBytes = 27 }],
            Metadata = new RequestMetadata
            {
                Tags = ["workflow-a", "product-page"],
                UserId = "user_1234",
                TraceId = "session_abc123",
                Extra = new Dictionary<string, string> { ["tier"] = "premium", ["country"] = "canada" },
            },
            Region = "eu",
            GuardrailHits = [new GuardrailHit { Guardrail = "pii", Action = "mask", Count = 2 }],
            Session = new SessionHashes { PrefixHash = "aa11", ConversationHash = "bb22", FirstMessageHash = "cc33" },
        };
    }
}
