using System.Text.Json;
using Microsoft.Extensions.Caching.Memory;
using Npgsql;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using Requesty.Contracts.Keys;
using Requesty.McpGateway.Infrastructure;
using Requesty.McpGateway.Security;
using Requesty.McpGateway.Servers;
using Requesty.McpGateway.Upstream;

namespace Requesty.McpGateway.Mcp;

/// <summary>
/// The tools one caller sees: the built-in ping plus the whitelisted tools of every enabled server
/// of the caller's organization, named "&lt;server&gt;__&lt;tool&gt;", and calls proxied to the owning server.
/// </summary>
public sealed class GatewayTools(
    McpServerStore store,
    UpstreamCredentials credentials,
    UpstreamConnector connector,
    GatewayToolCallStore calls,
    IMemoryCache cache,
    TimeProvider clock,
    IConfiguration configuration,
    ILogger<GatewayTools> logger)
{
    public const string PingToolName = "requesty_ping";
    public const string Separator = "__";
    public const string CallTimeoutKey = "Mcp:ToolCallTimeoutSeconds";
    private static readonly TimeSpan UpstreamToolsTtl = TimeSpan.FromSeconds(60);

    private TimeSpan CallTimeout => TimeSpan.FromSeconds(Math.Max(1, configuration.GetValue(CallTimeoutKey, 300)));

    private static readonly Tool PingTool = new()
    {
        Name = PingToolName,
        Title = "Ping the Requesty MCP gateway",
        Description = "Checks connectivity to the Requesty MCP gateway. Returns \"pong\", followed by the optional message.",
        InputSchema = JsonDocument.Parse("""
            {"type":"object","properties":{"message":{"type":"string","description":"Text to echo back."}}}
            """).RootElement.Clone(),
    };

    public async ValueTask<ListToolsResult> ListAsync(ApiKeyContext caller, CancellationToken cancellationToken)
    {
        var servers = await store.ListAsync(caller.OrganizationId, enabledOnly: true, cancellationToken);
        var perServer = await Task.WhenAll(servers
            .Where(s => s.EnabledTools.Count > 0)
            .Select(s => ExposedToolsAsync(s, caller, cancellationToken)));
        return new ListToolsResult { Tools = [PingTool, .. perServer.SelectMany(t => t)] };
    }

    public async ValueTask<CallToolResult> CallAsync(ApiKeyContext caller, CallToolRequestParams? call, CancellationToken cancellationToken)
    {
        if (call is null) throw new McpProtocolException("Missing tool call parameters.", McpErrorCode.InvalidParams);
        if (call.Name == PingToolName) return Ping(call);

        var separator = call.Name.IndexOf(Separator, StringComparison.Ordinal);
        if (separator <= 0) throw new McpProtocolException($"Unknown tool '{call.Name}'.", McpErrorCode.InvalidParams);
        var (serverName, toolName) = (call.Name[..separator], call.Name[(separator + Separator.Length)..]);

        var server = await store.FindByNameAsync(caller.OrganizationId, serverName, cancellationToken);
        if (server is null)
            throw new McpProtocolException($"Unknown tool '{call.Name}': no MCP server '{serverName}' in your organization.", McpErrorCode.InvalidParams);
        if (!server.Enabled)
            throw new McpProtocolException($"MCP server '{server.Name}' is disabled.", McpErrorCode.InvalidParams);
        if (!server.EnabledTools.Contains(toolName, StringComparer.Ordinal))
            throw new McpProtocolException($"Tool '{toolName}' is not enabled on MCP server '{server.Name}'.", McpErrorCode.InvalidParams);

        var started = clock.GetTimestamp();
        string? error = null;
        try
        {
            ModelContextProtocol.Client.McpClient client;
            try
            {
                client = await ConnectAsync(server, caller, cancellationToken);
            }
            catch (McpProtocolException e)
            {
                // Already a clear gateway error (missing user key, unreachable server, unusable credentials).
                error = e.Message;
                throw;
            }

            await using (client)
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(CallTimeout);
                try
                {
                    var result = await client.CallToolAsync(new CallToolRequestParams { Name = toolName, Arguments = call.Arguments }, timeout.Token);
                    if (result.IsError == true) error = "The tool reported an error.";
                    return result;
                }
                catch (McpProtocolException e)
                {
                    error = e.Message;
                    throw new McpProtocolException($"MCP server '{server.Name}' refused the call: {RemoteMessage(e)}", e, e.ErrorCode);
                }
                catch (Exception e) when (e is HttpRequestException or McpException or IOException)
                {
                    error = e.Message;
                    throw new McpProtocolException($"MCP server '{server.Name}' failed during the call: {e.Message}", e, McpErrorCode.InternalError);
                }
                catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
                {
                    error = $"Timed out after {CallTimeout.TotalSeconds:0} s.";
                    throw new McpProtocolException($"MCP server '{server.Name}' did not answer within {CallTimeout.TotalSeconds:0} s.", e, McpErrorCode.InternalError);
                }
            }
        }
        finally
        {
            await RecordAsync(caller, server, toolName, started, error);
        }
    }

    private async Task RecordAsync(ApiKeyContext caller, McpServerRecord server, string toolName, long started, string? error)
    {
        try
        {
            var latency = (int)Math.Min(int.MaxValue, clock.GetElapsedTime(started).TotalMilliseconds);
            await calls.RecordAsync(new GatewayToolCall(caller.OrganizationId, caller.ApiKeyId, caller.UserId, server.Id, server.Name, toolName,
                clock.GetUtcNow().UtcDateTime, latency, error is null, error), CancellationToken.None);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            // The call itself succeeded or failed on its own; a lost audit row must not change its outcome.
            logger.LogError(e, "Could not record the call of {Tool} on MCP server {ServerId}", toolName, server.Id);
        }
    }

    private async Task<IEnumerable<Tool>> ExposedToolsAsync(McpServerRecord server, ApiKeyContext caller, CancellationToken cancellationToken)
    {
        IReadOnlyList<Tool> upstream;
        try
        {
            var resolved = await ResolveAsync(server, caller, cancellationToken);
            upstream = await cache.GetOrCreateAsync($"upstream-tools:{server.Id}:{server.UpdatedAt.Ticks}:{resolved.Scope}", async entry =>
            {
                entry.AbsoluteExpirationRelativeToNow = UpstreamToolsTtl;
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(UpstreamConnector.ListTimeout);
                await using var client = await ConnectAsync(server, resolved, timeout.Token);
                return (IReadOnlyList<Tool>)(await client.ListToolsAsync(cancellationToken: timeout.Token)).Select(t => t.ProtocolTool).ToList();
            }) ?? [];
        }
        catch (Exception e) when (e is McpException or HttpRequestException or IOException
                                  || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // One broken server must not hide the tools of the others.
            logger.LogWarning("Skipping the tools of MCP server {Server} ({ServerId}): {Reason}", server.Name, server.Id, e.Message);
            return [];
        }

        var enabled = server.EnabledTools.ToHashSet(StringComparer.Ordinal);
        return upstream.Where(t => enabled.Contains(t.Name)).Select(t => Namespaced(server.Name, t));
    }

    private async Task<ModelContextProtocol.Client.McpClient> ConnectAsync(
        McpServerRecord server, ApiKeyContext caller, CancellationToken cancellationToken) =>
        await ConnectAsync(server, await ResolveAsync(server, caller, cancellationToken), cancellationToken);

    private async Task<ResolvedCredentials> ResolveAsync(McpServerRecord server, ApiKeyContext caller, CancellationToken cancellationToken)
    {
        try
        {
            return await credentials.ResolveAsync(server, caller.UserId, cancellationToken);
        }
        catch (MissingUserKeyException e)
        {
            throw new McpProtocolException(
                server.AllowUserKeys ? $"{e.Message} Set yours with PUT /v1/mcp/servers/{server.Id}/user-keys." : e.Message,
                e, McpErrorCode.InvalidRequest);
        }
        catch (Exception e) when (e is EncryptionNotConfiguredException or System.Security.Cryptography.CryptographicException)
        {
            logger.LogError(e, "Credentials of MCP server {ServerId} could not be decrypted", server.Id);
            throw new McpProtocolException($"The credentials of MCP server '{server.Name}' cannot be used right now.", e, McpErrorCode.InternalError);
        }
    }

    private async Task<ModelContextProtocol.Client.McpClient> ConnectAsync(
        McpServerRecord server, ResolvedCredentials resolved, CancellationToken cancellationToken)
    {
        try
        {
            return await connector.ConnectAsync(server, resolved.Headers, cancellationToken);
        }
        catch (UpstreamUnavailableException e)
        {
            throw new McpProtocolException(e.Message, e, McpErrorCode.InternalError);
        }
    }

    // The SDK prefixes errors that came back over the wire; the caller's client adds its own prefix again.
    private static string RemoteMessage(McpProtocolException e) =>
        e.Message.StartsWith(RemotePrefix, StringComparison.Ordinal) ? e.Message[RemotePrefix.Length..] : e.Message;

    private const string RemotePrefix = "Request failed (remote): ";

    private static Tool Namespaced(string serverName, Tool tool) => new()
    {
        Name = serverName + Separator + tool.Name,
        Title = tool.Title,
        Description = tool.Description,
        InputSchema = tool.InputSchema,
        OutputSchema = tool.OutputSchema,
        Annotations = tool.Annotations,
        Icons = tool.Icons,
    };

    private static CallToolResult Ping(CallToolRequestParams call)
    {
        var text = call.Arguments is { } args && args.TryGetValue("message", out var message) && message.ValueKind == JsonValueKind.String
            ? $"pong: {message.GetString()}"
            : "pong";
        return new CallToolResult { Content = [new TextContentBlock { Text = text }] };
    }
}
