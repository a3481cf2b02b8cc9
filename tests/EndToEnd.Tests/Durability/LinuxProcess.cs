using System.Runtime.InteropServices;

namespace Requesty.EndToEnd.Tests.Durability;

/// <summary>Signals and liveness of Linux processes (zombies count as gone: nothing may reap them in containers).</summary>
public static class LinuxProcess
{
    private const int SigTerm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    /// <summary>Asks the process to shut down gracefully (what `kill -TERM` does; Process.Kill is SIGKILL).</summary>
    public static void Terminate(int pid)
    {
        if (SendSignal(pid, SigTerm) != 0)
            throw new InvalidOperationException($"kill(-TERM, {pid}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

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
            return false; // ended while we read it
        }
    }

    public static int? ReadPidFile(string path) =>
        File.Exists(path) && int.TryParse(File.ReadLines(path).FirstOrDefault()?.Trim(), out var pid) ? pid : null;

    /// <summary>Waits (bounded) until the process is gone; false when it still runs at the deadline.</summary>
    public static async Task<bool> WaitGoneAsync(int pid, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (IsAlive(pid))
        {
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(100);
        }
        return true;
    }
}
