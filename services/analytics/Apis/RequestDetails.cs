using System.Globalization;
using Requesty.Analytics.Application.Ingestion;
using Requesty.Analytics.Infrastructure.ClickHouse;

namespace Requesty.Analytics.Apis;

/// <summary>One stored request as the API shows it (snake_case JSON; absent values are null).</summary>
public sealed record RequestDetails
{
    public required Guid RequestId { get; init; }
    /// <summary>Feedback merged from every POST /feedback/{requestId}; null when none was sent.</summary>
    public System.Text.Json.Nodes.JsonNode? Feedback { get; init; }
    public required Guid OrganizationId { get; init; }
    public required Guid ApiKeyId { get; init; }
    public Guid? UserId { get; init; }
    public Guid? ServiceAccountId { get; init; }
    public Guid? ProjectId { get; init; }
    public required IReadOnlyList<Guid> GroupIds { get; init; }
    public required string Endpoint { get; init; }
    public required string RequestedModel { get; init; }
    public string? ServedModel { get; init; }
    public string? ServedProvider { get; init; }
    public string? PolicyName { get; init; }
    public string? KeySource { get; init; }
    public string? Region { get; init; }
    public required string Status { get; init; }
    public int HttpStatus { get; init; }
    public string? ErrorKind { get; init; }
    public string? ErrorMessage { get; init; }
    public bool Stream { get; init; }
    public ulong InputTokens { get; init; }
    public ulong OutputTokens { get; init; }
    public ulong CacheReadTokens { get; init; }
    public ulong CacheWriteTokens { get; init; }
    public ulong ReasoningTokens { get; init; }
    public decimal CostUsd { get; init; }
    public decimal CostWithoutCacheUsd { get; init; }
    public uint LatencyMs { get; init; }
    public uint? TtftMs { get; init; }
    public DateTime StartedAt { get; init; }
    public DateTime CompletedAt { get; init; }
    public required IReadOnlyList<string> Tags { get; init; }
    public required IReadOnlyDictionary<string, string> Metadata { get; init; }
    public string? EndUserId { get; init; }
    public string? TraceId { get; init; }
    public string? SessionPrefixHash { get; init; }
    public string? SessionConversationHash { get; init; }
    public string? SessionFirstMessageHash { get; init; }
    public required IReadOnlyList<AttemptDetails> Attempts { get; init; }
    public required IReadOnlyList<string> ToolsOffered { get; init; }
    public uint ToolCallCount { get; init; }
    public required IReadOnlyList<GuardrailDetails> GuardrailHits { get; init; }

    public static RequestDetails From(RequestRow row) => new()
    {
        RequestId = row.RequestId,
        OrganizationId = row.OrganizationId,
        ApiKeyId = row.ApiKeyId,
        UserId = NullIfEmpty(row.UserId),
        ServiceAccountId = NullIfEmpty(row.ServiceAccountId),
        ProjectId = NullIfEmpty(row.ProjectId),
        GroupIds = row.GroupIds,
        Endpoint = row.Endpoint,
        RequestedModel = row.RequestedModel,
        ServedModel = NullIfEmpty(row.ServedModel),
        ServedProvider = NullIfEmpty(row.ServedProvider),
        PolicyName = NullIfEmpty(row.PolicyName),
        KeySource = NullIfEmpty(row.KeySource),
        Region = NullIfEmpty(row.Region),
        Status = row.Status,
        HttpStatus = row.HttpStatus,
        ErrorKind = NullIfEmpty(row.ErrorKind),
        ErrorMessage = NullIfEmpty(row.ErrorMessage),
        Stream = row.Stream != 0,
        InputTokens = row.InputTokens,
        OutputTokens = row.OutputTokens,
        CacheReadTokens = row.CacheReadTokens,
        CacheWriteTokens = row.CacheWriteTokens,
        ReasoningTokens = row.ReasoningTokens,
        CostUsd = row.CostUsd,
        CostWithoutCacheUsd = row.CostWithoutCacheUsd,
        LatencyMs = row.LatencyMs,
        TtftMs = row.TtftMs,
        StartedAt = ParseUtc(row.StartedAt),
        CompletedAt = ParseUtc(row.CompletedAt),
        Tags = row.Tags,
        Metadata = row.MetaKeys.Zip(row.MetaValues).DistinctBy(p => p.First).ToDictionary(p => p.First, p => p.Second),
        EndUserId = NullIfEmpty(row.EndUserId),
        TraceId = NullIfEmpty(row.TraceId),
        SessionPrefixHash = NullIfEmpty(row.SessionPrefixHash),
        SessionConversationHash = NullIfEmpty(row.SessionConversationHash),
        SessionFirstMessageHash = NullIfEmpty(row.SessionFirstMessageHash),
        Attempts = [.. Enumerable.Range(0, row.AttemptModels.Count).Select(i => new AttemptDetails(
            row.AttemptModels[i],
            At(row.AttemptProviders, i, ""),
            At(row.AttemptHttpStatuses, i, (ushort)0),
            NullIfEmpty(At(row.AttemptErrorKinds, i, "")),
            At(row.AttemptLatenciesMs, i, 0u)))],
        ToolsOffered = row.ToolsOffered,
        ToolCallCount = row.ToolCallCount,
        GuardrailHits = [.. Enumerable.Range(0, row.GuardrailNames.Count).Select(i => new GuardrailDetails(
            row.GuardrailNames[i], At(row.GuardrailActions, i, ""), At(row.GuardrailCounts, i, 0u)))],
    };

    private static T At<T>(List<T> list, int index, T fallback) => index < list.Count ? list[index] : fallback;

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    private static Guid? NullIfEmpty(Guid value) => value == Guid.Empty ? null : value;

    private static DateTime ParseUtc(string value) => DateTime.ParseExact(
        value, SqlLiteral.DateTimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}

public sealed record AttemptDetails(string Model, string Provider, int HttpStatus, string? ErrorKind, uint LatencyMs);

public sealed record GuardrailDetails(string Guardrail, string Action, uint Count);
