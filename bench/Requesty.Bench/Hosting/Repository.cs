using System.Diagnostics;

namespace Requesty.Bench.Hosting;

/// <summary>The checked-out repository: where builds live, which commit is measured, and baseline builds of other commits.</summary>
public sealed class Repository(string root)
{
    public string Root => root;

    public string RouterDll => Path.Combine(root, "services/router/bin/Release/net10.0/Requesty.Router.dll");
    public string FloorProxyDll => Path.Combine(root, "bench/Requesty.Bench.FloorProxy/bin/Release/net10.0/Requesty.Bench.FloorProxy.dll");
    public string SimulatorDll => Path.Combine(root, "tools/provider-simulator/bin/Release/net10.0/Requesty.ProviderSimulator.dll");
    public string DefaultResultsDirectory => Path.Combine(root, "bench/results");

    public static Repository Find(string? explicitRoot)
    {
        if (explicitRoot is not null) return new Repository(explicitRoot);
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Requesty.sln"))) return new Repository(dir.FullName);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Requesty.sln"))) return new Repository(dir.FullName);
        throw new InvalidOperationException("Requesty.sln not found above the current directory; pass --repo");
    }

    public async Task<string?> CommitAsync(string reference = "HEAD")
    {
        var (code, output) = await RunAsync("git", ["rev-parse", "--verify", "--quiet", reference + "^{commit}"], root);
        return code == 0 ? output.Trim() : null;
    }

    public async Task<bool> IsDirtyAsync()
    {
        var (code, output) = await RunAsync("git", ["status", "--porcelain", "--untracked-files=no"], root);
        return code == 0 && output.Trim().Length > 0;
    }

    /// <summary>
    /// Builds the router of <paramref name="commit"/> in Release from a `git archive` export under
    /// bench/results/builds/ (read-only for the repository: no worktree, no checkout), once per commit.
    /// </summary>
    public async Task<string> BuildRouterAtAsync(string commit, string resultsDirectory)
    {
        var source = Path.Combine(resultsDirectory, "builds", commit);
        var dll = Path.Combine(source, "services/router/bin/Release/net10.0/Requesty.Router.dll");
        if (File.Exists(dll) && File.Exists(Path.Combine(source, ".build-ok"))) return dll;

        if (Directory.Exists(source)) Directory.Delete(source, recursive: true);
        Directory.CreateDirectory(source);
        Console.WriteLine($"exporting {commit[..12]} to {source} ...");
        var archive = Path.Combine(source, "..", commit + ".tar");
        var (code, output) = await RunAsync("git", ["archive", "--format=tar", "-o", archive, commit], root);
        if (code != 0) throw new InvalidOperationException($"git archive {commit} failed: {output}");
        (code, output) = await RunAsync("tar", ["-xf", archive, "-C", source], root);
        File.Delete(archive);
        if (code != 0) throw new InvalidOperationException($"extracting {commit} failed: {output}");

        Console.WriteLine($"building the baseline router ({commit[..12]}) in Release ...");
        (code, output) = await RunAsync("dotnet", ["build", "services/router", "-c", "Release", "-nologo", "-v", "q", "-clp:NoSummary"], source);
        if (code != 0 || !File.Exists(dll)) throw new InvalidOperationException($"building the baseline router failed:\n{output}");
        await File.WriteAllTextAsync(Path.Combine(source, ".build-ok"), DateTime.UtcNow.ToString("O"));
        return dll;
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string[] args, string workingDirectory)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not run {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
