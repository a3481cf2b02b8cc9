using System.Net;
using MassTransit;
using Npgsql;
using Requesty.Contracts.Events;
using Requesty.McpGateway;
using Requesty.TestKit;

namespace Requesty.McpGateway.Tests.Integration;

/// <summary>
/// The MCP gateway hosted in-process against the real test PostgreSQL and RabbitMQ, with its own
/// temporary FIFO queue, plus a MassTransit bus the tests publish RequestCompleted with.
/// </summary>
public sealed class McpGatewayFixture : IAsyncLifetime
{
    private IBusControl? _bus;

    public ServiceHost Host { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public NpgsqlDataSource Database { get; } = NpgsqlDataSource.Create(TestServers.Postgres);

    public async Task InitializeAsync()
    {
        Host = await ServiceHost.StartAsync(McpGatewayApp.Build, TestServers.ServiceArgs(
            $"--RabbitMq:QueuePrefix=test-{Guid.NewGuid():N}-",
            "--RabbitMq:TemporaryQueues=true",
            // FIFO processing lets a later "sentinel" event prove earlier deliveries were consumed.
            "--RabbitMq:ConcurrencyLimit=1"));
        Client = Host.CreateClient();

        // The queue must be bound before we publish, otherwise the fanout drops the message.
        await Eventually.GetAsync(async () =>
            (await Client.GetAsync("readyz")).StatusCode == HttpStatusCode.OK ? "ready" : null,
            TimeSpan.FromSeconds(60), "MCP gateway ready (PostgreSQL + bus)");

        _bus = Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host(new Uri(TestServers.RabbitMqUri)));
        using var startTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _bus.StartAsync(startTimeout.Token);
    }

    public async Task PublishAsync(RequestCompleted message)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _bus!.Publish(message, timeout.Token);
    }

    public HttpRequestMessage Authorized(HttpMethod method, string uri)
    {
        var request = new HttpRequestMessage(method, uri);
        request.Headers.Authorization = new("Bearer", TestServers.InternalToken);
        return request;
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

    public async Task DisposeAsync()
    {
        if (_bus is not null) await _bus.StopAsync();
        Client?.Dispose();
        if (Host is not null) await Host.DisposeAsync();
        await Database.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class McpGatewayCollection : ICollectionFixture<McpGatewayFixture>
{
    public const string Name = "mcp gateway";
}
