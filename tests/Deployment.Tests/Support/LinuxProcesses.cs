namespace Requesty.Deployment.Tests.Support;

/// <summary>Process facts read from /proc (zombies count as gone: nothing may reap them in containers).</summary>
public static class LinuxProcesses
{
    public static bool IsAlive(int pid)
    {
        var status = $"/proc/{pid}/status";
        try
        {
            return File.Exists(status)
                && !File.ReadLines(status).Any(line => line.StartsWith("State:", StringComparison.Ordinal) && line.Contains('Z'));
        }
        catch (IOException)
        {
            return false; // the process ended while we read it
        }
    }

    /// <summary>Live processes whose command line mentions <paramref name="fragment"/>.</summary>
    public static IReadOnlyList<string> LiveWithCommandLineContaining(string fragment)
    {
        var found = new List<string>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == Environment.ProcessId) continue;
            try
            {
                var commandLine = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (commandLine.Contains(fragment, StringComparison.Ordinal) && IsAlive(pid)) found.Add($"{pid}: {commandLine}");
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return found;
    }

    public static int? ReadPidFile(string path) =>
        File.Exists(path) && int.TryParse(File.ReadLines(path).FirstOrDefault()?.Trim(), out var pid) ? pid : null;
}
