using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Npgsql;
using RabbitMQ.Client;
using Requesty.Deployment.Tests.Support;

namespace Requesty.Deployment.Tests.Servers;

/// <summary>
/// `./requesty servers start|stop` with a private REQUESTY_HOME and ports of its own, so it never
/// touches the servers other tests use: start twice (the second is harmless), probe each server with
/// the application credentials, stop twice, then start again on the existing data.
/// </summary>
public sealed class ServersLifecycleTests : IAsyncLifetime
{
    private const int PgPort = 56432;
    private const int RabbitPort = 56672;
    private const int RabbitDistPort = 56673;
    private const int EpmdPort = 56369;
    private const int ClickHouseHttpPort = 56123;
    private const int ClickHouseTcpPort = 56900;
    private const int ClickHouseInterserverPort = 56909;
    private static readonly int[] AllPorts =
        [PgPort, RabbitPort, RabbitDistPort, EpmdPort, ClickHouseHttpPort, ClickHouseTcpPort, ClickHouseInterserverPort];

    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(4);

    // Under /tmp: every parent folder must be enterable by the 'postgres' user.
    private readonly string _home = Path.Combine("/tmp", $"requesty-deploy-test-{Guid.NewGuid():N}");

    private Dictionary<string, string> Environment => new()
    {
        ["REQUESTY_HOME"] = _home,
        ["REQUESTY_PG_PORT"] = PgPort.ToString(),
        ["REQUESTY_RABBITMQ_PORT"] = RabbitPort.ToString(),
        ["REQUESTY_RABBITMQ_DIST_PORT"] = RabbitDistPort.ToString(),
        ["REQUESTY_EPMD_PORT"] = EpmdPort.ToString(),
        ["REQUESTY_CLICKHOUSE_HTTP_PORT"] = ClickHouseHttpPort.ToString(),
        ["REQUESTY_CLICKHOUSE_TCP_PORT"] = ClickHouseTcpPort.ToString(),
        ["REQUESTY_CLICKHOUSE_INTERSERVER_PORT"] = ClickHouseInterserverPort.ToString(),
    };

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_home);
        File.SetUnixFileMode(_home, (UnixFileMode)0b111_101_101);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Servers("stop"); // whatever happened above, leave nothing running
        try { Directory.Delete(_home, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [Fact]
    public async Task Start_probe_stop_twice_leaves_working_servers_and_then_nothing_behind()
    {
        var busy = AllPorts.Where(Listening).ToArray();
        Assert.True(busy.Length == 0, $"test ports already in use by something else: {string.Join(", ", busy)}");

        // First start creates the data folders, users, databases and vhosts.
        await AssertSucceeds(Servers("start"));
        var again = await AssertSucceeds(Servers("start"));
        Assert.Contains("already running", again.Output);
        await AssertServersWork();
        var pids = ServerPids();
        Assert.Equal(5, pids.Count); // postmaster, rabbitmq wrapper, beam, epmd, clickhouse

        await AssertSucceeds(Servers("stop"));
        AssertNothingLeft(pids);
        await AssertSucceeds(Servers("stop")); // harmless when nothing runs

        // Second start reuses the existing data.
        var restart = await AssertSucceeds(Servers("start"));
        Assert.DoesNotContain("initialising PostgreSQL data", restart.Output);
        await AssertServersWork();
        pids = ServerPids();

        await AssertSucceeds(Servers("stop"));
        AssertNothingLeft(pids);
    }

    private Task<ProcessResult> Servers(string action) =>
        ProcessRunner.RunAsync(RepoRoot.Combine("requesty"), ["servers", action], Environment, ScriptTimeout);

    private static async Task<ProcessResult> AssertSucceeds(Task<ProcessResult> run)
    {
        var result = await run;
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    private static async Task AssertServersWork()
    {
        foreach (var database in new[] { "requesty", "requesty_test" })
        {
            await using var connection = new NpgsqlConnection(
                $"Host=127.0.0.1;Port={PgPort};Database={database};Username=requesty;Password=requesty;Pooling=false");
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT current_user || '@' || current_database()", connection);
            Assert.Equal($"requesty@{database}", await command.ExecuteScalarAsync());
        }

        foreach (var vhost in new[] { "requesty", "requesty_test" })
        {
            var factory = new ConnectionFactory
            {
                Uri = new Uri($"amqp://requesty:requesty@127.0.0.1:{RabbitPort}/{vhost}"),
                AutomaticRecoveryEnabled = false,
            };
            await using var connection = await factory.CreateConnectionAsync();
            await using var channel = await connection.CreateChannelAsync();
            var queue = await channel.QueueDeclareAsync(queue: "", durable: false, exclusive: true, autoDelete: true);
            Assert.StartsWith("amq.gen-", queue.QueueName);
        }

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ClickHouseHttpPort}/") };
        Assert.Equal("Ok.\n", await http.GetStringAsync("ping"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/")
        {
            Content = new StringContent("SELECT name FROM system.databases ORDER BY name FORMAT TSV", Encoding.UTF8),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("requesty:requesty")));
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        var databases = body.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("requesty", databases);
        Assert.Contains("requesty_test", databases);
    }

    private Dictionary<string, int> ServerPids()
    {
        var files = new Dictionary<string, string>
        {
            ["postgres"] = Path.Combine(_home, "infra", "postgres", "data", "postmaster.pid"),
            ["rabbitmq wrapper"] = Path.Combine(_home, "infra", "rabbitmq", "server.pid"),
            ["rabbitmq beam"] = Path.Combine(_home, "infra", "rabbitmq", "beam.pid"),
            ["epmd"] = Path.Combine(_home, "infra", "rabbitmq", "epmd.pid"),
            ["clickhouse"] = Path.Combine(_home, "infra", "clickhouse", "server.pid"),
        };
        var pids = new Dictionary<string, int>();
        foreach (var (name, file) in files)
        {
            var pid = LinuxProcesses.ReadPidFile(file);
            Assert.True(pid is not null, $"no PID file for {name} at {file}");
            Assert.True(LinuxProcesses.IsAlive(pid.Value), $"{name} (pid {pid}) is not running");
            pids[name] = pid.Value;
        }
        return pids;
    }

    private void AssertNothingLeft(Dictionary<string, int> pids)
    {
        foreach (var (name, pid) in pids) Assert.False(LinuxProcesses.IsAlive(pid), $"{name} (pid {pid}) still runs after stop");
        var leftovers = LinuxProcesses.LiveWithCommandLineContaining(_home);
        Assert.True(leftovers.Count == 0, "processes left behind:\n" + string.Join('\n', leftovers));
        var listening = AllPorts.Where(Listening).ToArray();
        Assert.True(listening.Length == 0, $"still listening after stop: {string.Join(", ", listening)}");
        Assert.False(File.Exists(Path.Combine(_home, "infra", "postgres", "data", "postmaster.pid")), "postmaster.pid remains");
        Assert.False(File.Exists(Path.Combine(_home, "infra", "rabbitmq", "server.pid")), "rabbitmq server.pid remains");
        Assert.False(File.Exists(Path.Combine(_home, "infra", "clickhouse", "server.pid")), "clickhouse server.pid remains");
    }

    private static bool Listening(int port)
    {
        using var client = new TcpClient();
        try
        {
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
