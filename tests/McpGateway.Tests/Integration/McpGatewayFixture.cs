using Npgsql;
using Requesty.TestKit;

namespace Requesty.McpGateway.Tests.Integration;

/// <summary>
/// The MCP gateway hosted in-process against the real test PostgreSQL and RabbitMQ, with its own
/// temporary FIFO queue, plus a bus the tests publish RequestCompleted with.
/// </summary>
public sealed class McpGatewayFixture() : ConsumerServiceFixture(McpGatewayApp.Build,
    // FIFO processing lets a later "sentinel" event prove earlier deliveries were consumed.
    "--RabbitMq:ConcurrencyLimit=1")
{
    public NpgsqlDataSource Database { get; } = NpgsqlDataSource.Create(TestServers.Postgres);

    /// <summary>Waits until the gateway has consumed the request (its processed_requests row exists).</summary>
    public Task WaitUntilProcessedAsync(Guid requestId) =>
        Eventually.GetAsync(async () =>
        {
            await using var command = Database.CreateCommand("SELECT count(*) FROM mcp.processed_requests WHERE request_id = @id");
            command.Parameters.AddWithValue("id", requestId);
            return (long)(await command.ExecuteScalarAsync())! == 1 ? "processed" : null;
        }, TimeSpan.FromSeconds(30), $"request {requestId} consumed");

    public async Task<List<(int Index, string Name, int ArgumentsBytes, string? CallId)>> ToolCallRowsAsync(Guid requestId)
    {
        await using var command = Database.CreateCommand(
            "SELECT call_index, tool_name, arguments_bytes, tool_call_id FROM mcp.tool_calls WHERE request_id = @id ORDER BY call_index");
        command.Parameters.AddWithValue("id", requestId);
        var rows = new List<(int, string, int, string?)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            rows.Add((reader.GetInt32(0), reader.GetString(1), reader.GetInt32(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
        return rows;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Database.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class McpGatewayCollection : ICollectionFixture<McpGatewayFixture>
{
    public const string Name = "mcp gateway";
}
