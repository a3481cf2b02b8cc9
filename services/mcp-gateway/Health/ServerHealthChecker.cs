using Requesty.McpGateway.Servers;
using Requesty.McpGateway.Upstream;

namespace Requesty.McpGateway.Health;

/// <summary>
/// Checks one server with the organization's credentials: connectivity and authentication (error),
/// whitelisted tools that disappeared, a changed tool list or a slow answer (warning), disabled.
/// </summary>
public sealed class ServerHealthChecker(
    UpstreamCredentials credentials, UpstreamConnector connector, ServerHealthStore store, TimeProvider clock)
{
    public static readonly TimeSpan SlowThreshold = TimeSpan.FromSeconds(5);

    public async Task<ServerHealth> CheckAsync(McpServerRecord server, CancellationToken cancellationToken)
    {
        var health = await ProbeAsync(server, cancellationToken);
        await store.SaveAsync(health, cancellationToken);
        return health;
    }

    private async Task<ServerHealth> ProbeAsync(McpServerRecord server, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (!server.Enabled) return new ServerHealth(server.Id, HealthStatus.Disabled, "Disabled by an admin.", null, null, now);

        ResolvedCredentials resolved;
        try
        {
            resolved = await credentials.ResolveAsync(server, userId: null, cancellationToken);
        }
        catch (MissingUserKeyException e)
        {
            return new ServerHealth(server.Id, HealthStatus.Warning, $"Not checked: {e.Message}", null, null, now);
        }

        var started = clock.GetTimestamp();
        IReadOnlyList<string> tools;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(UpstreamConnector.ListTimeout);
            await using var client = await connector.ConnectAsync(server, resolved.Headers, timeout.Token);
            tools = (await client.ListToolsAsync(cancellationToken: timeout.Token)).Select(t => t.Name).Order(StringComparer.Ordinal).ToList();
        }
        catch (UpstreamUnavailableException e)
        {
            var detail = e.InnerException is HttpRequestException { StatusCode: System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden }
                ? $"Authentication failed: {e.Message}"
                : e.Message;
            return new ServerHealth(server.Id, HealthStatus.Error, detail, null, null, now);
        }
        catch (Exception e) when (e is ModelContextProtocol.McpException or HttpRequestException or IOException)
        {
            return new ServerHealth(server.Id, HealthStatus.Error, $"Listing tools failed: {e.Message}", null, null, now);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ServerHealth(server.Id, HealthStatus.Error, $"No tool list within {UpstreamConnector.ListTimeout.TotalSeconds:0} s.", null, null, now);
        }
        var latency = (int)clock.GetElapsedTime(started).TotalMilliseconds;

        var warnings = new List<string>();
        var missing = server.EnabledTools.Where(t => !tools.Contains(t, StringComparer.Ordinal)).ToList();
        if (missing.Count > 0) warnings.Add($"Enabled tools no longer offered: {string.Join(", ", missing)}.");
        if (await store.FindAsync(server.Id, cancellationToken) is { ToolNames: { } previous } && !previous.SequenceEqual(tools))
        {
            var added = tools.Except(previous).ToList();
            var removed = previous.Except(tools).ToList();
            warnings.Add($"Tool list changed (added: {Join(added)}; removed: {Join(removed)}).");
        }
        if (latency > SlowThreshold.TotalMilliseconds) warnings.Add($"Slow: {latency} ms.");
        return new ServerHealth(server.Id, warnings.Count == 0 ? HealthStatus.Healthy : HealthStatus.Warning,
            warnings.Count == 0 ? null : string.Join(" ", warnings), latency, tools, now);
    }

    private static string Join(IReadOnlyList<string> names) => names.Count == 0 ? "none" : string.Join(", ", names);
}
