using System.Text.Json.Nodes;
using Requesty.Analytics.Infrastructure.ClickHouse;

namespace Requesty.Analytics.Application.Feedback;

/// <summary>Reads and merges request feedback in ClickHouse.</summary>
public sealed class FeedbackStore(ClickHouseClient clickHouse, TimeProvider time)
{
    public async Task<FeedbackRow?> FindAsync(Guid requestId, Guid? organizationId, CancellationToken cancellationToken)
    {
        var orgFilter = organizationId is { } org ? $" AND organization_id = {SqlLiteral.Uuid(org)}" : "";
        var rows = await clickHouse.QueryAsync(
            $"SELECT request_id, organization_id, data, toString(updated_at) AS updated_at, version FROM request_feedback FINAL " +
            $"WHERE request_id = {SqlLiteral.Uuid(requestId)}{orgFilter} LIMIT 1",
            FeedbackJsonContext.Default.FeedbackRow, cancellationToken);
        return rows.FirstOrDefault();
    }

    /// <summary>Merges <paramref name="data"/> into the stored feedback (its keys overwrite) and stores the result.</summary>
    public async Task MergeAsync(Guid requestId, Guid organizationId, JsonObject data, CancellationToken cancellationToken)
    {
        var current = await FindAsync(requestId, organizationId, cancellationToken);
        var merged = FeedbackMerge.Merge(current?.Data, data);
        var now = time.GetUtcNow();
        var version = Math.Max((ulong)now.ToUnixTimeMilliseconds(), (current?.Version ?? 0) + 1);
        await clickHouse.InsertAsync("request_feedback", [new FeedbackRow
        {
            RequestId = requestId,
            OrganizationId = organizationId,
            Data = merged.ToJsonString(),
            UpdatedAt = SqlLiteral.FormatDateTime(now.UtcDateTime),
            Version = version,
        }], FeedbackJsonContext.Default.FeedbackRow, cancellationToken);
    }
}

public static class FeedbackMerge
{
    /// <summary>Top-level keys of <paramref name="update"/> replace those of <paramref name="existing"/>.</summary>
    public static JsonObject Merge(string? existing, JsonObject update)
    {
        var merged = (existing is null ? null : JsonNode.Parse(existing) as JsonObject) ?? new JsonObject();
        foreach (var (key, value) in update) merged[key] = value?.DeepClone();
        return merged;
    }
}
