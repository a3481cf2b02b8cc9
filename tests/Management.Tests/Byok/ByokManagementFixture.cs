using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Requesty.Management.Domain.ApiKeys;
using Requesty.TestKit;

namespace Requesty.Management.Tests.Byok;

/// <summary>
/// A management host with BYOK master keys configured (k1 retired, k2 active) and every log line captured,
/// with its own bootstrapped admin key (= its own organisation).
/// </summary>
public sealed class ByokManagementFixture : IAsyncLifetime
{
    public string AdminKey { get; } = ApiKeySecret.Generate();
    public string MasterKey1 { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    public string MasterKey2 { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    public CapturedLogs Logs { get; } = new();
    public ServiceHost Host { get; private set; } = null!;
    public NpgsqlDataSource Database { get; } = NpgsqlDataSource.Create(TestServers.Postgres);

    public async Task InitializeAsync()
    {
        Host = await ServiceHost.StartAsync(args =>
        {
            var app = ManagementApp.Build(args);
            app.Services.GetRequiredService<ILoggerFactory>().AddProvider(Logs);
            return app;
        }, TestServers.ServiceArgs(
            $"--Bootstrap:AdminKey={AdminKey}",
            $"--Bootstrap:OrganizationName=Byok org {Guid.NewGuid():N}",
            $"--RabbitMq:QueuePrefix=test-{Guid.NewGuid():N}-",
            "--RabbitMq:TemporaryQueues=true",
            "--Logging:LogLevel:Default=Debug",
            $"--Byok:MasterKeys:k1={MasterKey1}",
            $"--Byok:MasterKeys:k2={MasterKey2}",
            "--Byok:ActiveKeyId=k2"));
    }

    public HttpClient Client(string? apiKey = null)
    {
        var client = Host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey ?? AdminKey);
        return client;
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Database.DisposeAsync();
    }
}
