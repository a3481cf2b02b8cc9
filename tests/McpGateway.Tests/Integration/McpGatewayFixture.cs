using Microsoft.Extensions.Logging;
using Npgsql;
using Requesty.McpGateway.Tests.Support;
using Requesty.TestKit;

namespace Requesty.McpGateway.Tests.Integration;

/// <summary>
/// The MCP gateway hosted in-process against the real test PostgreSQL and RabbitMQ, with its own
/// temporary FIFO queue, a bus the tests publish RequestCompleted with, a stand-in for management's
/// key lookup, and the npm reference MCP server running in both HTTP transports as upstream.
/// </summary>
public sealed class McpGatewayFixture : ConsumerServiceFixture
{
    /// <summary>Base64 of 32 bytes; test-only.</summary>
    public const string EncryptionKey = "dGVzdC1vbmx5LWVuY3J5cHRpb24ta2V5LTMyLWJ5dGU=";

    /// <summary>Short enough for the timeout test, long enough for real calls on a busy machine.</summary>
    public const int ToolCallTimeoutSeconds = 10;

    public McpGatewayFixture() : this(ManagementStub.Start(), new CapturedLogs())
    {
    }

    private McpGatewayFixture(ManagementStub management, CapturedLogs logs) : base(
        // The capture sees every level of every category (the most talkative logs, for the secret leak test).
        args => McpGatewayApp.Build(args, builder => builder.Logging.AddProvider(logs).AddFilter<CapturedLogs>(null, LogLevel.Trace)),
        // FIFO processing lets a later "sentinel" event prove earlier deliveries were consumed.
        "--RabbitMq:ConcurrencyLimit=1",
        $"--Management:Url={management.BaseAddress}",
        $"--Mcp:EncryptionKey={EncryptionKey}",
        "--Mcp:EncryptionKeyId=test-key-1",
        // Health is checked on demand in tests (?refresh=true), never by the background timer.
        "--Mcp:HealthCheckIntervalSeconds=0",
        $"--Mcp:ToolCallTimeoutSeconds={ToolCallTimeoutSeconds}",
        // The upstreams run on 127.0.0.1: allow exactly that (everything else private stays refused).
        "--Mcp:AllowedNetworks=127.0.0.1/32",
        "--Mcp:OutboxPollMilliseconds=200")
    {
        Management = management;
        Logs = logs;
    }

    public CapturedLogs Logs { get; }

    public ManagementStub Management { get; }

    public NpgsqlDataSource Database { get; } = NpgsqlDataSource.Create(TestServers.Postgres);

    public EverythingServer StreamableHttpUpstream { get; private set; } = null!;

    public EverythingServer SseUpstream { get; private set; } = null!;

    public HeaderEchoServer HeaderEchoUpstream { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        StreamableHttpUpstream = await EverythingServer.StartAsync(sse: false);
        SseUpstream = await EverythingServer.StartAsync(sse: true);
        HeaderEchoUpstream = await HeaderEchoServer.StartAsync();
    }

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
        if (HeaderEchoUpstream is not null) await HeaderEchoUpstream.DisposeAsync();
        if (SseUpstream is not null) await SseUpstream.DisposeAsync();
        if (StreamableHttpUpstream is not null) await StreamableHttpUpstream.DisposeAsync();
        await base.DisposeAsync();
        await Management.DisposeAsync();
        await Database.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class McpGatewayCollection : ICollectionFixture<McpGatewayFixture>
{
    public const string Name = "mcp gateway";
}
