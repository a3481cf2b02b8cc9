using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Requesty.McpGateway.Auth;

namespace Requesty.McpGateway.Audit;

public sealed record AuditEntry(Guid Id, string Actor, Guid? UserId, string Action, Guid? ServerId, JsonElement Details, DateTime At);

/// <summary>mcp.audit_log: configuration changes of the registry. Callers pass names, never secret values.</summary>
public sealed class AuditLog(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public async Task RecordAsync(RegistryCaller caller, string action, Guid? serverId, object details, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO mcp.audit_log (id, organization_id, actor, user_id, action, server_id, details, at)
            VALUES (@id, @org, @actor, @user, @action, @server, @details, @at)
            """);
        command.Parameters.AddWithValue("id", Guid.CreateVersion7());
        command.Parameters.AddWithValue("org", caller.OrganizationId);
        command.Parameters.AddWithValue("actor", caller.Actor);
        command.Parameters.Add(new NpgsqlParameter("user", NpgsqlDbType.Uuid) { Value = (object?)caller.UserId ?? DBNull.Value });
        command.Parameters.AddWithValue("action", action);
        command.Parameters.Add(new NpgsqlParameter("server", NpgsqlDbType.Uuid) { Value = (object?)serverId ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("details", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(details, Json) });
        command.Parameters.AddWithValue("at", clock.GetUtcNow().UtcDateTime);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<AuditEntry>> ListAsync(Guid organizationId, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT id, actor, user_id, action, server_id, details::text, at FROM mcp.audit_log
            WHERE organization_id = @org ORDER BY at DESC, id DESC LIMIT @limit
            """);
        command.Parameters.AddWithValue("org", organizationId);
        command.Parameters.AddWithValue("limit", limit);
        var entries = new List<AuditEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new AuditEntry(reader.GetGuid(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetGuid(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetGuid(4), JsonDocument.Parse(reader.GetString(5)).RootElement.Clone(),
                DateTime.SpecifyKind(reader.GetDateTime(6), DateTimeKind.Utc)));
        }
        return entries;
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
}

public static class AuditApi
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/mcp/audit", GetAsync)
            .WithTags("MCP servers")
            .RequireRegistryCaller()
            .WithName("ListMcpAudit")
            .WithSummary("Configuration changes of the organization's MCP servers, newest first (?limit=1..500, default 100).")
            .Produces<List<AuditEntry>>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesValidationProblem();
        return app;
    }

    private static async Task<IResult> GetAsync(int? limit, HttpContext http, AuditLog audit, CancellationToken ct)
    {
        var caller = RegistryCaller.From(http);
        if (!caller.CanRead)
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: "Needs manage_read or manage_write.");
        if (limit is < 1 or > 500)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = ["limit must be between 1 and 500."] });
        return TypedResults.Ok(await audit.ListAsync(caller.OrganizationId, limit ?? 100, ct));
    }
}
