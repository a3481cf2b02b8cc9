using System.Net.Http.Headers;
using Npgsql;
using Requesty.Management.Domain.ApiKeys;
using Requesty.Management.Tests.Support;
using Requesty.TestKit;

namespace Requesty.Management.Tests.Outbox;

/// <summary>
/// A management service on a database of its own (created on the test PostgreSQL server, dropped afterwards):
/// its log holds only this class's events, so heavy writes and whole-log rebuilds neither slow down nor block
/// the other test classes, and leave nothing behind. RabbitMQ is the shared test vhost.
/// </summary>
public sealed class PrivateDatabaseManagementFixture : IAsyncLifetime
{
    private PrivateDatabase _database = null!;

    public string AdminKey { get; } = ApiKeySecret.Generate();
    public ServiceHost Host { get; private set; } = null!;
    public NpgsqlDataSource Database => _database.DataSource;

    public async Task InitializeAsync()
    {
        _database = await PrivateDatabase.CreateAsync("m4");
        Host = await ServiceHost.StartAsync(ManagementApp.Build, TestServers.ServiceArgs(
            $"--ConnectionStrings:Postgres={_database.ConnectionString}",
            $"--Bootstrap:AdminKey={AdminKey}",
            $"--Bootstrap:OrganizationName=Private {_database.ShortName}",
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
        if (_database is not null) await _database.DisposeAsync();
    }
}
