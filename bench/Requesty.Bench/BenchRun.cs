using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Requesty.Bench.Hosting;
using Requesty.Bench.Load;
using Requesty.Bench.Reporting;

namespace Requesty.Bench;

/// <summary>
/// One benchmark run: simulator and router(s) as child processes from their Release builds, the same
/// constant-rate load straight to the simulator and through each router, then the tables and a results file.
/// </summary>
public static class BenchRun
{
    private const string InternalToken = "bench-internal-token";

    public static async Task<int> MainAsync(string[] args)
    {
        BenchOptions options;
        try { options = BenchOptions.Parse(args); }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(BenchOptions.Usage);
            return 2;
        }
        if (options.Help)
        {
            Console.WriteLine(BenchOptions.Usage);
            return 0;
        }
        try
        {
            await RunAsync(options);
            return 0;
        }
        catch (Exception e) when (e is InvalidOperationException or FileNotFoundException or TimeoutException or HttpRequestException)
        {
            Console.Error.WriteLine($"bench failed: {e.Message}");
            return 1;
        }
    }

    private static async Task RunAsync(BenchOptions options)
    {
        var repo = Repository.Find(options.RepoRoot);
        var resultsDirectory = options.ResultsDirectory ?? repo.DefaultResultsDirectory;
        var commit = await repo.CommitAsync();
        var dirty = await repo.IsDirtyAsync();

        // --baseline: a results file to compare with, or a git reference to build and measure now.
        string? baselineFile = null, baselineCommit = null, baselineDll = null;
        if (options.Baseline is { } baseline)
        {
            if (baseline == "last")
                baselineFile = ResultsStore.Latest(resultsDirectory) ?? throw new InvalidOperationException($"no results in {resultsDirectory} yet");
            else if (File.Exists(baseline) || baseline.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
                baselineFile = File.Exists(baseline) ? Path.GetFullPath(baseline) : throw new FileNotFoundException($"{baseline} not found", baseline);
            else
            {
                baselineCommit = await repo.CommitAsync(baseline) ?? throw new InvalidOperationException($"'{baseline}' is neither a results file nor a git reference");
                baselineDll = await repo.BuildRouterAtAsync(baselineCommit, resultsDirectory);
            }
        }

        var workDirectory = Directory.CreateTempSubdirectory("requesty-bench-").FullName;
        var apiKey = "rqsty-sk-bench-" + Guid.NewGuid().ToString("N");
        Console.WriteLine($"commit {commit?[..12] ?? "?"}{(dirty ? " (uncommitted changes)" : "")}, {Environment.ProcessorCount} cores; logs and journals in {workDirectory}");
        Console.WriteLine($"router events go to {Sanitize(options.RabbitMqUri)}");
        foreach (var (variable, value) in options.RouterEnvironment) Console.WriteLine($"router environment: {variable}={value}");
        foreach (var (variable, value) in options.BaselineEnvironment) Console.WriteLine($"baseline router environment: {variable}={value}");

        await using var management = await StubManagement.StartAsync(apiKey, InternalToken);
        await using var simulator = await ChildProcess.StartAsync("simulator", options.SimulatorDll ?? repo.SimulatorDll, [], workDirectory);
        string[] RouterArgs(string name) =>
        [
            $"--Management:Url={management.BaseAddress}",
            $"--Simulator:Url={simulator.BaseAddress}",
            $"--Internal:Token={InternalToken}",
            $"--RabbitMq:Uri={options.RabbitMqUri}",
            $"--Journal:Directory={Path.Combine(workDirectory, name + "-journal")}",
            .. options.RouterArgs,
        ];
        await using var router = await ChildProcess.StartAsync(
            "router", options.RouterDll ?? repo.RouterDll, RouterArgs("router"), workDirectory, options.RouterEnvironment);
        await using var baselineRouter = baselineDll is null ? null
            : await ChildProcess.StartAsync("router-baseline", baselineDll, RouterArgs("router-baseline"), workDirectory,
                new Dictionary<string, string>([.. options.RouterEnvironment, .. options.BaselineEnvironment]));

        await using var floorProxy = options.Floor
            ? await ChildProcess.StartAsync("floor-proxy", repo.FloorProxyDll, [$"--Simulator:Url={simulator.BaseAddress}"], workDirectory)
            : null;

        using var client = ChatTarget.CreateClient();
        var results = new BenchResults
        {
            StartedAtUtc = DateTime.UtcNow,
            Commit = commit,
            Dirty = dirty,
            Machine = Environment.MachineName,
            Cores = Environment.ProcessorCount,
            Runtime = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
            Broker = Sanitize(options.RabbitMqUri),
            Settings = new BenchSettings(options.Rate, options.Warmup.TotalSeconds, options.Duration.TotalSeconds,
                options.ThroughputDuration.TotalSeconds, options.Concurrency, options.RouterArgs,
                options.RouterEnvironment, options.BaselineEnvironment, options.Conversation, options.Api, options.Model),
            BaselineRef = baselineCommit is null ? null : options.Baseline,
            BaselineCommit = baselineCommit,
        };

        var scenarios = new List<bool>();
        if (options.NonStream) scenarios.Add(false);
        if (options.Stream) scenarios.Add(true);
        foreach (var stream in scenarios)
        {
            var name = stream ? options.Api + "-stream" : options.Api;
            var path = ChatBodies.PathFor(options.Api);
            var routerBody = ChatBodies.For(options.Api, options.Conversation, stream, options.Model);
            var routerTarget = new ChatTarget(client, new Uri(router.BaseAddress, path), apiKey, routerBody);
            await WaitServingAsync(routerTarget, "router");
            // The direct path sends exactly the request the router sent upstream (its path too: with --model the router may
            // translate), so the simulator does the same work.
            var upstream = await LastUpstreamRequestAsync(client, simulator.BaseAddress);
            var directTarget = new ChatTarget(client, new Uri(simulator.BaseAddress, upstream.Path), "simulator-key", upstream.Body);
            ChatTarget? baselineTarget = null;
            if (baselineRouter is not null)
            {
                baselineTarget = new ChatTarget(client, new Uri(baselineRouter.BaseAddress, path), apiKey, routerBody);
                await WaitServingAsync(baselineTarget, "baseline router");
            }

            // The floor proxy forwards what it gets: it is sent the router's upstream body, so the simulator does the same work.
            // It only forwards /v1 paths (not Gemini's /v1beta).
            if (floorProxy is not null && !upstream.Path.StartsWith("v1/", StringComparison.Ordinal))
                Console.WriteLine($"{name}: no floor path (the router's upstream path {upstream.Path} is not one the floor proxy forwards)");
            var floorTarget = floorProxy is null || !upstream.Path.StartsWith("v1/", StringComparison.Ordinal) ? null
                : new ChatTarget(client, new Uri(floorProxy.BaseAddress, upstream.Path), "simulator-key", directTarget.Body);

            var paths = new List<LoadPath> { new("direct", directTarget, () => simulator.CpuTime), new("router", routerTarget, () => router.CpuTime) };
            if (baselineTarget is not null && baselineRouter is not null) paths.Add(new("baseline", baselineTarget, () => baselineRouter.CpuTime));
            if (floorTarget is not null && floorProxy is not null) paths.Add(new("floor", floorTarget, () => floorProxy.CpuTime));
            var figures = await MeasureAsync(name, paths, options);
            PathFigures? Of(string path) => paths.FindIndex(p => p.Name == path) is var i and >= 0 ? figures[i] : null;
            var scenario = new ScenarioResult
            {
                Name = name, Stream = stream, RequestBytes = routerBody.Length, Direct = figures[0], Router = figures[1], Baseline = Of("baseline"), Floor = Of("floor"),
            };
            results.Scenarios.Add(scenario);
        }

        Console.WriteLine();
        Console.WriteLine($"router readiness after the run: {await ReadinessAsync(client, router.BaseAddress)}");
        Console.WriteLine();
        var baselineLabel = baselineCommit is null ? null : $"{options.Baseline} ({baselineCommit[..12]})";
        foreach (var scenario in results.Scenarios) Console.WriteLine(Report.Scenario(scenario, baselineLabel, options.Model));
        Console.WriteLine("added = router-path percentile minus direct-path percentile at the same rate"
            + (options.Floor ? "; floor = a minimal .NET proxy (bench/Requesty.Bench.FloorProxy): the cost of one more process hop" : "")
            + (options.ThroughputDuration > TimeSpan.Zero
                ? $"; max rps = closed loop with {options.Concurrency} concurrent requests for {options.ThroughputDuration.TotalSeconds} s."
                : "."));
        if (baselineFile is not null)
        {
            Console.WriteLine();
            Console.WriteLine(Report.Comparison(await ResultsStore.LoadAsync(baselineFile), results, baselineFile));
        }
        if (options.Save) Console.WriteLine($"results saved to {await ResultsStore.SaveAsync(results, resultsDirectory)}");

        // Journals can be large after a broker-less run; the logs stay for inspection.
        foreach (var journal in Directory.GetDirectories(workDirectory, "*-journal")) TryDelete(journal);
    }

    /// <summary>The paths in turns of --round seconds (warm-up, then the measured window), then each path's closed-loop maximum.</summary>
    private static async Task<IReadOnlyList<PathFigures>> MeasureAsync(string scenario, IReadOnlyList<LoadPath> paths, BenchOptions options)
    {
        Console.WriteLine($"{scenario}: open loop {options.Rate} rps to {string.Join(", ", paths.Select(p => p.Name))} in turns of {options.Round.TotalSeconds} s: " +
                          $"warm-up {options.Warmup.TotalSeconds} s and measure {options.Duration.TotalSeconds} s per path ...");
        var figures = await InterleavedOpenLoopRunner.RunAsync(paths, options.Rate, options.Warmup, options.Duration, options.Round,
            options.MaxInFlight);
        for (var i = 0; i < paths.Count; i++)
        {
            var path = paths[i].Name;
            Console.Write($"  {path,-9} p50 {figures[i].Latency.P50Ms:0.000} ms p99 {figures[i].Latency.P99Ms:0.000} ms, server cpu {figures[i].ServerCpuMsPerRequest:0.000} ms/req ({(path == "direct" ? "simulator" : path)} {figures[i].ProcessCpuMsPerRequest:0.000}), machine busy {figures[i].MachineBusyCores:0.00} cores ({figures[i].OtherWorkCores:0.00} other work)");
            if (options.ThroughputDuration > TimeSpan.Zero)
            {
                var (rps, errors) = await ClosedLoopRunner.RunAsync(paths[i].Target, options.Concurrency, options.ThroughputDuration);
                figures[i].MaxThroughputRps = rps;
                figures[i].ThroughputErrors = errors;
                Console.Write($", max {rps:0} rps");
            }
            Console.WriteLine();
        }
        return figures;
    }

    /// <summary>Bounded: the router answers 401 until its key cache is loaded from the stub management.</summary>
    private static async Task WaitServingAsync(ChatTarget target, string name)
    {
        var deadline = Stopwatch.GetTimestamp() + 60 * Stopwatch.Frequency;
        SendResult last = default;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            last = await target.SendAsync(CancellationToken.None);
            if (last.Ok) return;
            await Task.Delay(200);
        }
        throw new TimeoutException($"the {name} did not answer 200 within 60 s (last status {last.Status})");
    }

    /// <summary>The path (relative, with its query) and body of the last request the simulator received.</summary>
    private static async Task<(string Path, byte[] Body)> LastUpstreamRequestAsync(HttpClient client, Uri simulator)
    {
        var log = JsonNode.Parse(await client.GetStringAsync(new Uri(simulator, "__sim/requests?limit=1")))?.AsArray();
        var entry = log is [{ } last] ? last : null;
        if (entry?["body"] is not { } body || JsonBodyString(entry["path"]) is not { } path)
            throw new InvalidOperationException("the simulator did not record the router's upstream request");
        var query = JsonBodyString(entry["query"]) ?? "";
        return (path.TrimStart('/') + query, Encoding.UTF8.GetBytes(body.ToJsonString()));
    }

    private static string? JsonBodyString(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static async Task<string> ReadinessAsync(HttpClient client, Uri router)
    {
        try
        {
            using var response = await client.GetAsync(new Uri(router, "readyz"));
            return $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
        }
        catch (HttpRequestException e) { return e.Message; }
    }

    private static string Sanitize(string uri) =>
        uri == BenchOptions.NoBrokerUri ? "none (unreachable; events stay in the router's journal)"
        : Uri.TryCreate(uri, UriKind.Absolute, out var parsed) ? $"{parsed.Scheme}://{parsed.Host}:{parsed.Port}{parsed.AbsolutePath}" : "?";

    private static void TryDelete(string directory)
    {
        try { Directory.Delete(directory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
