using Requesty.Analytics.Infrastructure.ClickHouse;
using Requesty.Contracts.Events;

namespace Requesty.Analytics.Application.Ingestion;

/// <summary>
/// Turns a <see cref="RequestCompleted"/> into ClickHouse rows. Every value is forced into its
/// column's range here, because one unparsable row makes ClickHouse reject the whole batch.
/// </summary>
public static class RequestRowMapper
{
    /// <summary>Largest magnitude Decimal(18, 9) holds.</summary>
    public const decimal MaxDecimal = 999_999_999.999999999m;

    public const int MaxErrorMessageLength = 4_000;

    private static readonly DateTime MinDateTime = new(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime MaxDateTime = new(2105, 12, 31, 23, 59, 59, DateTimeKind.Utc);

    public static RequestRow ToRequestRow(RequestCompleted e, ulong version)
    {
        var extra = e.Metadata.Extra.OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
        var lastAttempt = e.Attempts.Count > 0 ? e.Attempts[^1] : null;
        return new RequestRow
        {
            RequestId = e.RequestId,
            OrganizationId = e.Caller.OrganizationId,
            ApiKeyId = e.Caller.ApiKeyId,
            UserId = e.Caller.UserId ?? Guid.Empty,
            ServiceAccountId = e.Caller.ServiceAccountId ?? Guid.Empty,
            ProjectId = e.Caller.ProjectId ?? Guid.Empty,
            GroupIds = [.. e.Caller.GroupIds],
            Endpoint = Text(e.Endpoint),
            RequestedModel = Text(e.RequestedModel),
            ServedModel = Text(e.ServedModel),
            ServedProvider = Text(e.ServedProvider),
            PolicyName = Text(e.PolicyName),
            KeySource = Text(lastAttempt?.KeySource),
            Region = Text(e.Region),
            Status = Text(e.Status),
            HttpStatus = UInt16(e.HttpStatus),
            ErrorKind = Text(e.ErrorKind),
            ErrorMessage = Truncate(Text(e.ErrorMessage), MaxErrorMessageLength),
            Stream = e.Stream ? (byte)1 : (byte)0,
            InputTokens = UInt64(e.Usage.InputTokens),
            OutputTokens = UInt64(e.Usage.OutputTokens),
            CacheReadTokens = UInt64(e.Usage.CacheReadTokens),
            CacheWriteTokens = UInt64(e.Usage.CacheWriteTokens),
            ReasoningTokens = UInt64(e.Usage.ReasoningTokens),
            CostUsd = Money(e.CostUsd),
            CostWithoutCacheUsd = Money(e.CostWithoutCacheUsd),
            LatencyMs = UInt32(e.LatencyMs),
            TtftMs = e.TimeToFirstTokenMs is { } ttft ? UInt32(ttft) : null,
            StartedAt = DateTimeText(e.StartedAt),
            CompletedAt = DateTimeText(e.CompletedAt),
            StartedMs = UnixMilliseconds(e.StartedAt),
            CompletedMs = UnixMilliseconds(e.CompletedAt),
            ToolResultIds = [.. e.ToolResultIds.Where(id => !string.IsNullOrEmpty(id)).Distinct(StringComparer.Ordinal)],
            Tags = [.. e.Metadata.Tags.Select(Text)],
            MetaKeys = [.. extra.Select(p => Text(p.Key))],
            MetaValues = [.. extra.Select(p => Text(p.Value))],
            EndUserId = Text(e.Metadata.UserId),
            TraceId = Text(e.Metadata.TraceId),
            SessionPrefixHash = Text(e.Session.PrefixHash),
            SessionConversationHash = Text(e.Session.ConversationHash),
            SessionFirstMessageHash = Text(e.Session.FirstMessageHash),
            Attempts = UInt16(e.Attempts.Count),
            AttemptModels = [.. e.Attempts.Select(a => Text(a.Model))],
            AttemptProviders = [.. e.Attempts.Select(a => Text(a.Provider))],
            AttemptHttpStatuses = [.. e.Attempts.Select(a => UInt16(a.HttpStatus))],
            AttemptErrorKinds = [.. e.Attempts.Select(a => Text(a.ErrorKind))],
            AttemptLatenciesMs = [.. e.Attempts.Select(a => UInt32(a.LatencyMs))],
            ToolsOffered = [.. e.ToolsOffered.Select(t => Text(t.Name))],
            ToolCallCount = (uint)e.ToolCalls.Count,
            GuardrailNames = [.. e.GuardrailHits.Select(g => Text(g.Guardrail))],
            GuardrailActions = [.. e.GuardrailHits.Select(g => Text(g.Action))],
            GuardrailCounts = [.. e.GuardrailHits.Select(g => UInt32(g.Count))],
            SchemaVersion = UInt16(e.SchemaVersion),
            Version = version,
        };
    }

    public static IEnumerable<ToolCallRow> ToToolCallRows(RequestCompleted e, ulong version) =>
        e.ToolCalls.Take(ushort.MaxValue).Select((call, index) => new ToolCallRow
        {
            RequestId = e.RequestId,
            OrganizationId = e.Caller.OrganizationId,
            ApiKeyId = e.Caller.ApiKeyId,
            StartedAt = DateTimeText(e.StartedAt),
            CallIndex = (ushort)index,
            CallId = Text(call.Id),
            ToolName = Text(call.Name),
            ArgumentsBytes = UInt32(call.ArgumentsBytes),
            ServedModel = Text(e.ServedModel),
            ServedProvider = Text(e.ServedProvider),
            Status = Text(e.Status),
            LatencyMs = UInt32(e.LatencyMs),
            Version = version,
        });

    /// <summary>Rounded half away from zero to 9 decimals (ClickHouse rejects a 10th digit) and kept within Decimal(18, 9).</summary>
    public static decimal Money(decimal value) =>
        Math.Clamp(Math.Round(value, 9, MidpointRounding.AwayFromZero), -MaxDecimal, MaxDecimal);

    /// <summary>"yyyy-MM-dd HH:mm:ss" UTC, clamped to the range a ClickHouse DateTime holds.</summary>
    public static string DateTimeText(DateTime value)
    {
        var utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : DateTime.SpecifyKind(value, DateTimeKind.Utc);
        if (utc < MinDateTime) utc = MinDateTime;
        if (utc > MaxDateTime) utc = MaxDateTime;
        return SqlLiteral.FormatDateTime(utc);
    }

    /// <summary>Unix milliseconds of a UTC time (0 before 1970): the tool-time estimate needs sub-second gaps.</summary>
    public static ulong UnixMilliseconds(DateTime value)
    {
        var utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : DateTime.SpecifyKind(value, DateTimeKind.Utc);
        return utc <= MinDateTime ? 0 : (ulong)(utc - MinDateTime).Ticks / TimeSpan.TicksPerMillisecond;
    }

    public static string Text(string? value) => value ?? "";

    private static string Truncate(string value, int max)
    {
        if (value.Length <= max) return value;
        // Never cut a surrogate pair in half.
        return value[..(char.IsHighSurrogate(value[max - 1]) ? max - 1 : max)];
    }

    private static ulong UInt64(long value) => value < 0 ? 0 : (ulong)value;

    public static uint UInt32(int value) => value < 0 ? 0 : (uint)value;

    public static ushort UInt16(int value) => (ushort)Math.Clamp(value, 0, ushort.MaxValue);
}
