using System.Text.RegularExpressions;
using Requesty.Deployment.Tests.Support;

namespace Requesty.Deployment.Tests.Kubernetes;

/// <summary>The kustomize base renders offline with kubectl and holds what a cluster needs.</summary>
public sealed partial class KustomizeTests
{
    private static readonly string[] Services = ["router", "management", "analytics", "alerts", "mcp-gateway"];

    [Fact]
    public async Task Base_renders_a_deployment_and_a_service_for_every_service_and_the_simulator()
    {
        var documents = await RenderAsync();

        foreach (var name in Services.Append("provider-simulator"))
        {
            Assert.Contains(documents, d => Kind(d) == "Deployment" && Name(d) == name);
            Assert.Contains(documents, d => Kind(d) == "Service" && Name(d) == name);
        }
        Assert.All(documents.Where(d => Kind(d) != "Namespace"), d => Assert.Contains("namespace: requesty", d));
        Assert.Contains(documents, d => Kind(d) == "Namespace" && Name(d) == "requesty");
        Assert.Contains(documents, d => Kind(d) == "ConfigMap");
        Assert.Contains(documents, d => Kind(d) == "Secret");
        foreach (var server in new[] { "postgres", "rabbitmq", "clickhouse" })
        {
            Assert.Contains(documents, d => Kind(d) == "StatefulSet" && Name(d) == server);
        }
    }

    [Fact]
    public async Task Service_deployments_probe_readyz_and_healthz_and_take_credentials_from_the_secret()
    {
        var documents = await RenderAsync();
        foreach (var name in Services)
        {
            var deployment = documents.Single(d => Kind(d) == "Deployment" && Name(d) == name);
            Assert.Matches(@"readinessProbe:(\s+failureThreshold: \d+)?\s+httpGet:\s+path: /readyz", deployment);
            Assert.Matches(@"livenessProbe:(\s+failureThreshold: \d+)?\s+httpGet:\s+path: /healthz", deployment);
            Assert.Contains("secretRef:", deployment);
            Assert.Contains("configMapRef:", deployment);
        }
    }

    private static async Task<IReadOnlyList<string>> RenderAsync()
    {
        var kubectl = ProcessRunner.FindOnPath("kubectl")
            ?? throw new InvalidOperationException("kubectl is not installed; it is needed to render k8s/ (kubectl kustomize k8s/)");
        var result = await ProcessRunner.RunAsync(kubectl, ["kustomize", RepoRoot.Combine("k8s")]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.Output.Split("\n---\n", StringSplitOptions.RemoveEmptyEntries);
    }

    private static string Kind(string document) => KindPattern().Match(document).Groups[1].Value;

    private static string Name(string document) => NamePattern().Match(document).Groups[1].Value;

    [GeneratedRegex(@"^kind: (\S+)", RegexOptions.Multiline)]
    private static partial Regex KindPattern();

    // The object's own name: metadata's first-level "name:" (two-space indent).
    [GeneratedRegex(@"^metadata:\n(?:  .*\n)*?  name: (\S+)", RegexOptions.Multiline)]
    private static partial Regex NamePattern();
}
