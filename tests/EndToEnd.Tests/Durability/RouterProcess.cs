using System.Diagnostics;
using System.Text;

namespace Requesty.EndToEnd.Tests.Durability;

/// <summary>
/// The router as a real child process (`dotnet Requesty.Router.dll`) from its build output, so it
/// can be stopped with SIGTERM like in production. Output is kept for failure messages.
/// </summary>
public sealed class RouterProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private RouterProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>
    /// Starts the router and waits for /readyz, or only /healthz with <paramref name="waitForReadiness"/>
    /// false (readiness includes the broker, which some tests keep unreachable on purpose).
    /// </summary>
    public static async Task<RouterProcess> StartAsync(IEnumerable<string> configuration, bool waitForReadiness = true)
    {
        var port = FreePorts.Take(1)[0];
        var dll = RepoPaths.RouterDll;
        var info = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add($"--urls=http://127.0.0.1:{port}");
        foreach (var argument in configuration) info.ArgumentList.Add(argument);
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";

        var process = new Process { StartInfo = info };
        var router = new RouterProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, e) => router.Append(e.Data);
        process.ErrorDataReceived += (_, e) => router.Append(e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await router.WaitUntilAnswersAsync(waitForReadiness ? "readyz" : "healthz", TimeSpan.FromSeconds(90));
            return router;
        }
        catch
        {
            await router.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGTERM, then waits (bounded) for the graceful shutdown to finish; returns the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        LinuxProcess.Terminate(_process.Id);
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"router (pid {Pid}) did not exit within {timeout} of SIGTERM; output:\n{Output}");
        }
        _process.WaitForExit(); // drains the output readers
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await _process.WaitForExitAsync(deadline.Token);
            }
        }
        catch (InvalidOperationException) { } // never started or already reaped
        finally
        {
            _process.Dispose();
        }
    }

    private async Task WaitUntilAnswersAsync(string path, TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"router exited with {_process.ExitCode} while starting:\n{Output}");
            try
            {
                using var response = await http.GetAsync(path);
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { } // not listening yet
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException($"router /{path} not OK within {timeout}; output:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            if (_output.Length > 200_000) _output.Remove(0, 100_000);
            _output.AppendLine(line);
        }
    }

    /// <summary>The dotnet host running the tests (testhost runs under it), else the one on PATH.</summary>
    private static string DotnetHost() =>
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
}
