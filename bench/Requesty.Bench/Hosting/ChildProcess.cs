using System.Diagnostics;

namespace Requesty.Bench.Hosting;

/// <summary>
/// A service run from its Release build as a separate process, like production. Its output goes
/// straight to a log file through `sh -c exec`, so the bench process spends no CPU relaying it.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    public const string InlineCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
    private readonly Process _process;

    private ChildProcess(string name, Process process, Uri baseAddress, string logFile)
    {
        Name = name;
        _process = process;
        BaseAddress = baseAddress;
        LogFile = logFile;
    }

    public string Name { get; }
    public Uri BaseAddress { get; }
    public string LogFile { get; }

    /// <summary>User + system CPU the process has used so far (the shell exec'd into dotnet: same pid).</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.HasExited ? TimeSpan.Zero : _process.TotalProcessorTime;
        }
    }

    public static async Task<ChildProcess> StartAsync(
        string name, string dll, IEnumerable<string> args, string logDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        if (!File.Exists(dll)) throw new FileNotFoundException($"{name}: build not found at {dll} (build it in Release first)", dll);
        var port = FreePort.Next();
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        var logFile = Path.Combine(logDirectory, $"{name}.log");
        var commandLine = string.Join(' ', new[] { "exec", "dotnet", dll, $"--urls={baseAddress}" }.Concat(args).Select(Quote));
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, WorkingDirectory = logDirectory };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"{commandLine} >{Quote(logFile)} 2>&1 </dev/null");
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment.Remove(InlineCompletionsVariable);
        foreach (var (variable, value) in environment ?? new Dictionary<string, string>()) start.Environment[variable] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{name}: could not start");
        var child = new ChildProcess(name, process, baseAddress, logFile);
        await child.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        return child;
    }

    private async Task WaitHealthyAsync(TimeSpan limit)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"{Name} exited with {_process.ExitCode} (log: {LogFile})");
            try
            {
                using var response = await http.GetAsync("healthz");
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException($"{Name} did not answer /healthz within {limit.TotalSeconds} s (log: {LogFile})");
    }

    /// <summary>SIGTERM (graceful: the router flushes its journal), then SIGKILL after a grace period.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                await term.WaitForExitAsync();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try { await _process.WaitForExitAsync(grace.Token); }
            catch (OperationCanceledException) { _process.Kill(); }
        }
        _process.Dispose();
    }

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''") + "'";
}
