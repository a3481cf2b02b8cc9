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
        Assert.Equal(ServiceProjects.Length, CountOccurrences(rendered.Output, "dockerfile: Dockerfile"));
        foreach (var (directory, assembly) in ServiceProjects)
        {
            Assert.Contains($"PROJECT_DIR: {directory}", rendered.Output);
            Assert.Contains($"ASSEMBLY: {assembly}", rendered.Output);
            Assert.True(File.Exists(RepoRoot.Combine($"{directory}/{assembly}.csproj")), $"{directory}/{assembly}.csproj is missing");
        }
    }

    private static readonly (string Directory, string Assembly)[] ServiceProjects =
    [
        ("services/router", "Requesty.Router"),
        ("services/management", "Requesty.Management"),
        ("services/analytics", "Requesty.Analytics"),
        ("services/alerts", "Requesty.Alerts"),
        ("services/mcp-gateway", "Requesty.McpGateway"),
        ("tools/provider-simulator", "Requesty.ProviderSimulator"),
    ];

    [Fact]
    public void The_dockerfile_builds_in_the_sdk_image_and_runs_the_chosen_service_in_the_aspnet_image_as_non_root()
    {
        var text = File.ReadAllText(RepoRoot.Combine("Dockerfile"));
        Assert.Contains("FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build", text);
        Assert.Contains("FROM mcr.microsoft.com/dotnet/aspnet:10.0", text);
        Assert.Contains("dotnet publish ${PROJECT_DIR}/${ASSEMBLY}.csproj", text);
        Assert.Contains("ENV SERVICE_ASSEMBLY=${ASSEMBLY}.dll", text);
        Assert.Contains("USER $APP_UID", text);
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
