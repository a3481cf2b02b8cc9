using System.Net.Http.Headers;
using Npgsql;
using Requesty.Management.Domain.ApiKeys;
using Requesty.TestKit;

namespace Requesty.Management.Tests.Outbox;

/// <summary>
/// A management service on a database of its own (created on the test PostgreSQL server, dropped afterwards):
/// its log holds only this class's events, so heavy writes and whole-log rebuilds neither slow down nor block
/// the other test classes, and leave nothing behind. RabbitMQ is the shared test vhost.
/// </summary>
public sealed class PrivateDatabaseManagementFixture : IAsyncLifetime
{
    private readonly string _databaseName = $"requesty_test_m4_{Guid.NewGuid():N}";

    public string AdminKey { get; } = ApiKeySecret.Generate();
    public ServiceHost Host { get; private set; } = null!;
    public NpgsqlDataSource Database { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await AdminAsync($"CREATE DATABASE \"{_databaseName}\"");
        var connectionString = new NpgsqlConnectionStringBuilder(TestServers.Postgres) { Database = _databaseName }.ConnectionString;
        Database = NpgsqlDataSource.Create(connectionString);
        Host = await ServiceHost.StartAsync(ManagementApp.Build, TestServers.ServiceArgs(
            $"--ConnectionStrings:Postgres={connectionString}",
            $"--Bootstrap:AdminKey={AdminKey}",
            $"--Bootstrap:OrganizationName=Private {_databaseName[^8..]}",
            $"--RabbitMq:QueuePrefix=test-{Guid.NewGuid():N}-",
            "--RabbitMq:TemporaryQueues=true"));
        await Host.WaitUntilReadyAsync();
    }

    public HttpClient Client()
    {
        var client = Host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return client;
    }

    public async Task DisposeAsync()
    {
        if (Host is not null) await Host.DisposeAsync();
        if (Database is not null) await Database.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await AdminAsync($"DROP DATABASE IF EXISTS \"{_databaseName}\" WITH (FORCE)");
    }

    private static async Task AdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(TestServers.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
