using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Requesty.Analytics.Application.Ingestion;
using Requesty.Analytics.Infrastructure.ClickHouse;
using Requesty.Analytics.Infrastructure.Schema;
using Requesty.Contracts.Events;

namespace Requesty.Analytics.Application.Mcp;

/// <summary>Stores MCP tool executions; idempotent on CallId (ReplacingMergeTree keyed on it, FINAL reads).</summary>
public sealed class McpToolCallWriter(ClickHouseClient clickHouse, SchemaReadiness schema, TimeProvider clock)
{
    public const string Table = "mcp_tool_calls";

    public async Task WriteAsync(IReadOnlyList<McpToolCalled> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0) return;
        await schema.WaitAsync(ClickHouseRequestWriter.SchemaWaitTimeout, cancellationToken);
        var version = (ulong)clock.GetUtcNow().ToUnixTimeMilliseconds();
        var rows = events.DistinctBy(e => e.CallId).Select(e => ToRow(e, version)).ToList();
        await clickHouse.InsertAsync(Table, rows, McpRowsJson.Row, cancellationToken);
    }

    public static McpToolCallRow ToRow(McpToolCalled e, ulong version) => new()
    {
        CallId = e.CallId,
        OrganizationId = e.OrganizationId,
        ApiKeyId = e.ApiKeyId,
        UserId = e.UserId ?? Guid.Empty,
        ServerId = e.ServerId,
        ServerName = RequestRowMapper.Text(e.ServerName),
        ToolName = RequestRowMapper.Text(e.ToolName),
        StartedAt = RequestRowMapper.DateTimeText(e.StartedAt),
        LatencyMs = RequestRowMapper.UInt32(e.LatencyMs),
        Success = e.Success ? (byte)1 : (byte)0,
        ErrorKind = RequestRowMapper.Text(e.ErrorKind),
        ArgumentsBytes = RequestRowMapper.UInt32(e.ArgumentsBytes),
        ResultBytes = RequestRowMapper.UInt32(e.ResultBytes),
        LinkedRequestId = e.LinkedRequestId ?? Guid.Empty,
        SchemaVersion = RequestRowMapper.UInt16(e.SchemaVersion),
        Version = version,
    };
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(McpToolCallRow))]
internal sealed partial class McpRowsJsonContext : JsonSerializerContext;

public static class McpRowsJson
{
    private static readonly McpRowsJsonContext Context = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public static JsonTypeInfo<McpToolCallRow> Row => Context.McpToolCallRow;
}
