using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Requesty.TestKit;

namespace Requesty.McpGateway.Tests.Support;

/// <summary>
/// The reference MCP server from npm (@modelcontextprotocol/server-everything, pinned), installed
/// on first use into a temp folder and run with node in streamable-http or SSE mode. It listens on
/// all interfaces by itself; a preload script forces 127.0.0.1 and exits when the test process is gone.
/// </summary>
public sealed class EverythingServer : IAsyncDisposable
{
    public const string PackageVersion = "2026.8.31";
    private const string Package = "@modelcontextprotocol/server-everything";

    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    private readonly Process _process;

    private EverythingServer(Process process, Uri endpoint)
    {
        _process = process;
        Endpoint = endpoint;
    }

    /// <summary>The MCP endpoint: /mcp (streamable HTTP) or /sse.</summary>
    public Uri Endpoint { get; }

    public static async Task<EverythingServer> StartAsync(bool sse)
    {
        var (entry, preload) = await EnsureInstalledAsync();
        var port = FreePort();
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--require");
        start.ArgumentList.Add(preload);
        start.ArgumentList.Add(entry);
        start.ArgumentList.Add(sse ? "sse" : "streamableHttp");
        start.Environment["PORT"] = port.ToString();
        start.Environment["REQUESTY_TEST_PARENT_PID"] = Environment.ProcessId.ToString();

        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new EverythingServer(process, new Uri($"http://127.0.0.1:{port}/{(sse ? "sse" : "mcp")}"));
        try
        {
            await Eventually.GetAsync(async () =>
            {
                if (process.HasExited) throw new InvalidOperationException($"server-everything exited with {process.ExitCode}");
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return "listening";
            }, TimeSpan.FromSeconds(60), $"server-everything ({(sse ? "sse" : "streamableHttp")}) listening on 127.0.0.1:{port}");
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private const string PreloadFileName = "requesty-loopback-preload.cjs";

    // Binds every listen(port) to 127.0.0.1 and exits with the test process (no orphaned servers).
    private const string Preload = """
        const net = require('net');
        const listen = net.Server.prototype.listen;
        net.Server.prototype.listen = function (...args) {
          if ((typeof args[0] === 'number' || /^\d+$/.test(String(args[0]))) && typeof args[1] !== 'string') {
            args.splice(1, 0, '127.0.0.1');
          }
          return listen.apply(this, args);
        };
        const parent = Number(process.env.REQUESTY_TEST_PARENT_PID);
        if (parent) {
          setInterval(() => { try { process.kill(parent, 0); } catch { process.exit(0); } }, 1000).unref();
        }
        """;

    /// <returns>The paths of the package's dist/index.js and of the preload script.</returns>
    private static async Task<(string Entry, string Preload)> EnsureInstalledAsync()
    {
        var root = Environment.GetEnvironmentVariable("REQUESTY_MCP_EVERYTHING_DIR") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Path.GetTempPath(), $"requesty-server-everything-{PackageVersion}");
        var entry = Path.Combine(root, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js");

        await InstallLock.WaitAsync();
        try
        {
            if (!File.Exists(entry))
            {
                // Install next to the final folder, then move it in place: parallel test runs never see half an install.
                var staging = $"{root}.staging-{Guid.NewGuid():N}";
                Directory.CreateDirectory(staging);
                await RunAsync("npm", staging, "install", "--no-audit", "--no-fund", "--no-save", "--prefix", staging, $"{Package}@{PackageVersion}");
                try
                {
                    Directory.Move(staging, root);
                }
                catch (IOException) when (File.Exists(entry))
                {
                    Directory.Delete(staging, recursive: true);
                }
            }
            var preload = Path.Combine(root, PreloadFileName);
            if (!File.Exists(preload) || await File.ReadAllTextAsync(preload) != Preload)
            {
                var written = $"{preload}.{Guid.NewGuid():N}";
                await File.WriteAllTextAsync(written, Preload);
                File.Move(written, preload, overwrite: true);
            }
            return (entry, preload);
        }
        finally
        {
            InstallLock.Release();
        }
    }

    private static async Task RunAsync(string fileName, string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await output}{await error}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
