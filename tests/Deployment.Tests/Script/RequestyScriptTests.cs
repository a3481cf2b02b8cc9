using Requesty.Deployment.Tests.Support;

namespace Requesty.Deployment.Tests.Script;

/// <summary>The ./requesty entry script and the CI entry, without starting anything.</summary>
public sealed class RequestyScriptTests
{
    private static readonly string Script = RepoRoot.Combine("requesty");

    [Fact]
    public async Task Help_lists_every_command()
    {
        var result = await ProcessRunner.RunAsync(Script, ["help"]);
        Assert.Equal(0, result.ExitCode);
        foreach (var command in new[] { "install", "servers start|stop|status", "up [--detach]", "down", "test", "status", "logs" })
        {
            Assert.Contains(command, result.Output);
        }
    }

    [Fact]
    public async Task Unknown_command_fails_with_a_message()
    {
        var result = await ProcessRunner.RunAsync(Script, ["frobnicate"]);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("unknown command: frobnicate", result.Output);
    }

    [Fact]
    public async Task Status_with_a_fresh_home_reports_everything_stopped()
    {
        var home = Path.Combine(Path.GetTempPath(), $"requesty-status-test-{Guid.NewGuid():N}");
        try
        {
            var result = await ProcessRunner.RunAsync(Script, ["status"], new Dictionary<string, string>
            {
                ["REQUESTY_HOME"] = home,
                ["REQUESTY_PG_PORT"] = "56532",
                ["REQUESTY_RABBITMQ_PORT"] = "56772",
                ["REQUESTY_CLICKHOUSE_HTTP_PORT"] = "56223",
            });
            Assert.True(result.ExitCode == 0, result.ToString());
            foreach (var name in new[] { "postgres", "rabbitmq", "clickhouse", "router", "management", "analytics", "alerts", "mcp-gateway", "simulator" })
            {
                Assert.Matches($@"(?m)^\s+{name}\s+stopped$", result.Output);
            }
        }
        finally
        {
            if (Directory.Exists(home)) Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public void Ci_entry_runs_the_test_command()
    {
        var path = RepoRoot.Combine(".ci", "run");
        var lines = File.ReadAllLines(path);
        Assert.Equal("#!/usr/bin/env bash", lines[0]);
        Assert.Contains("set -euo pipefail", lines);
        Assert.Equal("exec ./requesty test", lines.Last(l => l.Length > 0));
        Assert.True(File.GetUnixFileMode(path).HasFlag(UnixFileMode.UserExecute), ".ci/run is not executable");
        Assert.True(File.GetUnixFileMode(Script).HasFlag(UnixFileMode.UserExecute), "requesty is not executable");
    }

    [Theory]
    [InlineData(
        """
        Passed!  - Failed:     0, Passed:    12, Skipped:     0, Total:    12, Duration: 1 s - Requesty.Router.Tests.dll (net10.0)
        Failed!  - Failed:     2, Passed:     5, Skipped:     1, Total:     8, Duration: 3 s - Requesty.Alerts.Tests.dll (net10.0)
        """,
        "17 2 1")]
    [InlineData("Test summary: total: 9, failed: 1, succeeded: 7, skipped: 1, duration: 2.1s", "7 1 1")]
    [InlineData("Build succeeded.\nno tests here", "0 0 0")]
    public async Task Test_summaries_are_added_up(string dotnetTestOutput, string expected)
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, dotnetTestOutput + "\n");
            var result = await ProcessRunner.RunAsync("/bin/bash",
            [
                "-c",
                "set -euo pipefail; REPO_ROOT=$1; source \"$1/scripts/lib/common.sh\"; source \"$1/scripts/lib/test.sh\"; sum_test_results \"$2\"",
                "bash", RepoRoot.Path, file,
            ]);
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal(expected, result.Output.Trim());
        }
        finally
        {
            File.Delete(file);
        }
    }
}
