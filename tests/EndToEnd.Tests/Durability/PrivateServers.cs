using System.Diagnostics;
using System.Text;

namespace Requesty.EndToEnd.Tests.Durability;

/// <summary>
/// PostgreSQL, RabbitMQ and ClickHouse of our own, started with `./requesty servers start` on free
/// ports under a temporary REQUESTY_HOME, so RabbitMQ can be stopped without disturbing anybody.
/// The script has no "rabbitmq only" command: RabbitMQ is stopped the way the script stops it
/// (SIGTERM to the rabbitmq-server wrapper from its PID file, which stops the broker gracefully),
/// and started again with `servers start`, which leaves the running PostgreSQL and ClickHouse alone.
/// </summary>
public sealed class PrivateServers : IAsyncDisposable
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(4);
    private readonly Dictionary<string, string> _environment;
    private readonly int _rabbitPort;
    private readonly int _clickHousePort;

    private PrivateServers(string home)
    {
        Home = home;
        var ports = FreePorts.Take(7);
        (_rabbitPort, _clickHousePort) = (ports[1], ports[4]);
        _environment = new Dictionary<string, string>
        {
            ["REQUESTY_HOME"] = home,
            ["REQUESTY_PG_PORT"] = ports[0].ToString(),
            ["REQUESTY_RABBITMQ_PORT"] = ports[1].ToString(),
            ["REQUESTY_RABBITMQ_DIST_PORT"] = ports[2].ToString(),
            ["REQUESTY_EPMD_PORT"] = ports[3].ToString(),
            ["REQUESTY_CLICKHOUSE_HTTP_PORT"] = ports[4].ToString(),
            ["REQUESTY_CLICKHOUSE_TCP_PORT"] = ports[5].ToString(),
            ["REQUESTY_CLICKHOUSE_INTERSERVER_PORT"] = ports[6].ToString(),
            ["REQUESTY_USE_EXISTING_SERVERS"] = "0",
        };
    }

    public string Home { get; }

    public string RabbitMqUri => $"amqp://requesty:requesty@127.0.0.1:{_rabbitPort}/requesty_test";

    public bool RabbitMqListening => FreePorts.Listening(_rabbitPort);

    public string ClickHouseUrl => $"http://127.0.0.1:{_clickHousePort}/";

    public const string ClickHouseDatabase = "requesty_test";
    public const string ClickHouseUser = "requesty";
    public const string ClickHousePassword = "requesty";

    private string RabbitDirectory => Path.Combine(Home, "infra", "rabbitmq");

    public static async Task<PrivateServers> StartAsync()
    {
        // Under /tmp and world-enterable: PostgreSQL runs as the 'postgres' user and must reach its data.
        var home = Path.Combine("/tmp", $"requesty-durability-{Guid.NewGuid():N}");
        Directory.CreateDirectory(home);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(home, (UnixFileMode)0b111_101_101);
        var servers = new PrivateServers(home);
        try
        {
            await servers.RunScriptAsync("start");
            return servers;
        }
        catch
        {
            await servers.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops RabbitMQ alone (gracefully, as the script does) and returns once it is gone.</summary>
    public async Task StopRabbitMqAsync()
    {
        var server = LinuxProcess.ReadPidFile(Path.Combine(RabbitDirectory, "server.pid"))
            ?? throw new InvalidOperationException("RabbitMQ has no server.pid");
        var beam = LinuxProcess.ReadPidFile(Path.Combine(RabbitDirectory, "beam.pid"));
        LinuxProcess.Terminate(server);
        if (!await LinuxProcess.WaitGoneAsync(server, TimeSpan.FromSeconds(60)))
            throw new TimeoutException($"rabbitmq-server (pid {server}) still runs 60 s after SIGTERM");
        if (beam is { } beamPid && LinuxProcess.IsAlive(beamPid))
        {
            LinuxProcess.Terminate(beamPid);
            if (!await LinuxProcess.WaitGoneAsync(beamPid, TimeSpan.FromSeconds(30)))
                throw new TimeoutException($"RabbitMQ's Erlang VM (pid {beamPid}) still runs 30 s after SIGTERM");
        }
        File.Delete(Path.Combine(RabbitDirectory, "server.pid"));
        File.Delete(Path.Combine(RabbitDirectory, "beam.pid"));
    }

    /// <summary>`servers start` again: PostgreSQL and ClickHouse are already running, so only RabbitMQ starts.</summary>
    public Task StartRabbitMqAsync() => RunScriptAsync("start");

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunScriptAsync("stop");
        }
        finally
        {
            try { Directory.Delete(Home, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private async Task RunScriptAsync(string action)
    {
        var info = new ProcessStartInfo(Path.Combine(RepoPaths.Root, "requesty"))
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("servers");
        info.ArgumentList.Add(action);
        info.Environment["NO_COLOR"] = "1";
        foreach (var (key, value) in _environment) info.Environment[key] = value;

        var output = new StringBuilder();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(ScriptTimeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"./requesty servers {action} did not finish in time:\n{output}");
        }
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"./requesty servers {action} failed (exit {process.ExitCode}):\n{output}");
    }
}
