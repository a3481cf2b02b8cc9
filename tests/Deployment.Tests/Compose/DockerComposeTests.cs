using Requesty.Deployment.Tests.Support;

namespace Requesty.Deployment.Tests.Compose;

/// <summary>docker-compose.yml validated offline by docker-compose 1.29 (installed by ./requesty install).</summary>
public sealed class DockerComposeTests
{
    private static readonly string[] Services =
        ["postgres", "rabbitmq", "clickhouse", "router", "management", "analytics", "alerts", "mcp-gateway", "provider-simulator"];

    [Fact]
    public async Task Compose_file_is_valid()
    {
        var result = await ProcessRunner.RunAsync(DockerCompose(), ["-f", RepoRoot.Combine("docker-compose.yml"), "config", "-q"]);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task Compose_defines_every_service_with_a_healthcheck_and_a_build_for_ours()
    {
        var result = await ProcessRunner.RunAsync(DockerCompose(), ["-f", RepoRoot.Combine("docker-compose.yml"), "config", "--services"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        var defined = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(Services.Order(), defined.Order());

        var rendered = await ProcessRunner.RunAsync(DockerCompose(), ["-f", RepoRoot.Combine("docker-compose.yml"), "config"]);
        Assert.True(rendered.ExitCode == 0, rendered.ToString());
        Assert.Equal(Services.Length, CountOccurrences(rendered.Output, "    healthcheck:"));
        foreach (var dockerfile in new[]
                 {
                     "services/router/Dockerfile", "services/management/Dockerfile", "services/analytics/Dockerfile",
                     "services/alerts/Dockerfile", "services/mcp-gateway/Dockerfile", "tools/provider-simulator/Dockerfile",
                 })
        {
            Assert.Contains($"dockerfile: {dockerfile}", rendered.Output);
            Assert.True(File.Exists(RepoRoot.Combine(dockerfile)), $"{dockerfile} is missing");
        }
    }

    [Fact]
    public void Dockerfiles_build_in_the_sdk_image_and_run_in_the_aspnet_image_as_non_root()
    {
        foreach (var (dockerfile, project, dll) in new[]
                 {
                     ("services/router/Dockerfile", "services/router/Requesty.Router.csproj", "Requesty.Router.dll"),
                     ("services/management/Dockerfile", "services/management/Requesty.Management.csproj", "Requesty.Management.dll"),
                     ("services/analytics/Dockerfile", "services/analytics/Requesty.Analytics.csproj", "Requesty.Analytics.dll"),
                     ("services/alerts/Dockerfile", "services/alerts/Requesty.Alerts.csproj", "Requesty.Alerts.dll"),
                     ("services/mcp-gateway/Dockerfile", "services/mcp-gateway/Requesty.McpGateway.csproj", "Requesty.McpGateway.dll"),
                     ("tools/provider-simulator/Dockerfile", "tools/provider-simulator/Requesty.ProviderSimulator.csproj", "Requesty.ProviderSimulator.dll"),
                 })
        {
            var text = File.ReadAllText(RepoRoot.Combine(dockerfile));
            Assert.Contains("FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build", text);
            Assert.Contains("FROM mcr.microsoft.com/dotnet/aspnet:10.0", text);
            Assert.Contains($"dotnet publish {project}", text);
            Assert.Contains($"ENTRYPOINT [\"dotnet\", \"{dll}\"]", text);
            Assert.Contains("USER $APP_UID", text);
            Assert.True(File.Exists(RepoRoot.Combine(project)), $"{dockerfile} publishes {project}, which does not exist");
        }
    }

    private static string DockerCompose() =>
        ProcessRunner.FindOnPath("docker-compose")
        ?? throw new InvalidOperationException(
            "docker-compose is not installed; run ./requesty install (it installs Debian's docker-compose package)");

    private static int CountOccurrences(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal)) count++;
        return count;
    }
}
