using System.Text.Json;
using Microsoft.Extensions.Caching.Memory;
using Npgsql;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
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
    UpstreamSessionPool sessions,
    ProgressRouter progress,
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

    public async ValueTask<CallToolResult> CallAsync(
        ApiKeyContext caller, RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken)
    {
        var call = request.Params;
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

        var execution = new Execution(clock.GetUtcNow().UtcDateTime, clock.GetTimestamp(), ClientCallId(request.JsonRpcRequest.Id), JsonBytes(call.Arguments));
        try
        {
            return await CallUpstreamAsync(caller, server, toolName, request, execution, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            execution.Fail("cancelled", "The client cancelled the call.");
            throw;
        }
        finally
        {
            await RecordAsync(caller, server, toolName, execution);
        }
    }

    private async Task<CallToolResult> CallUpstreamAsync(
        ApiKeyContext caller, McpServerRecord server, string toolName, RequestContext<CallToolRequestParams> request, Execution execution,
        CancellationToken cancellationToken)
    {
        UpstreamSessionPool.Lease lease;
        try
        {
            var resolved = await ResolveAsync(server, caller, cancellationToken);
            lease = await AcquireAsync(server, resolved, cancellationToken);
        }
        catch (McpProtocolException e)
        {
            // Already a clear gateway error (missing user key, unreachable server, unusable credentials).
            execution.Fail(e.ErrorCode == McpErrorCode.InvalidRequest ? "missing_credentials" : "unreachable", e.Message);
            throw;
        }

        await using (lease)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(CallTimeout);
            // Progress the upstream reports is relayed to the caller under the caller's own token,
            // in order and before the result (the relay is drained before returning).
            var relay = request.Params!.ProgressToken is { } callerToken ? new ProgressRelay(request.Server, callerToken, logger) : null;
            var (upstreamToken, registration) = relay is null ? (null, null) : progress.Register(relay);
            using var _ = registration;
            try
            {
                var upstreamCall = new CallToolRequestParams
                {
                    Name = toolName,
                    Arguments = request.Params.Arguments,
                    Meta = upstreamToken is null ? null : new System.Text.Json.Nodes.JsonObject { ["progressToken"] = upstreamToken },
                };
                var result = await lease.Client.CallToolAsync(upstreamCall, timeout.Token);
                if (relay is not null) await relay.DrainAsync();
                execution.ResultBytes = JsonBytes(result);
                if (result.IsError == true) execution.Fail("tool_error", "The tool reported an error.");
                return result;
            }
            catch (McpProtocolException e)
            {
                execution.Fail("upstream_error", e.Message);
                throw new McpProtocolException($"MCP server '{server.Name}' refused the call: {RemoteMessage(e)}", e, e.ErrorCode);
            }
            catch (Exception e) when (e is HttpRequestException or McpException or IOException)
            {
                lease.Fail();
                execution.Fail("transport_error", e.Message);
                throw new McpProtocolException($"MCP server '{server.Name}' failed during the call: {e.Message}", e, McpErrorCode.InternalError);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                // The session may still be busy with the abandoned request; do not hand it out again.
                lease.Fail();
                execution.Fail("timeout", $"Timed out after {CallTimeout.TotalSeconds:0} s.");
                throw new McpProtocolException($"MCP server '{server.Name}' did not answer within {CallTimeout.TotalSeconds:0} s.", e, McpErrorCode.InternalError);
            }
        }
    }

    private async Task RecordAsync(ApiKeyContext caller, McpServerRecord server, string toolName, Execution execution)
    {
        try
        {
            var latency = (int)Math.Min(int.MaxValue, clock.GetElapsedTime(execution.StartTimestamp).TotalMilliseconds);
            await calls.RecordAsync(new GatewayToolCall(Guid.CreateVersion7(), caller.OrganizationId, caller.ApiKeyId, caller.UserId, server.Id,
                server.Name, toolName, execution.ClientCallId, execution.StartedAt, clock.GetUtcNow().UtcDateTime, latency,
                execution.ErrorKind is null, execution.ErrorKind, execution.Error, execution.ArgumentsBytes, execution.ResultBytes), CancellationToken.None);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            // The call itself succeeded or failed on its own; a lost audit row must not change its outcome.
            logger.LogError(e, "Could not record the call of {Tool} on MCP server {ServerId}", toolName, server.Id);
        }
    }

    /// <summary>What is known about one execution while it runs.</summary>
    private sealed class Execution(DateTime startedAt, long startTimestamp, string? clientCallId, int argumentsBytes)
    {
        public DateTime StartedAt { get; } = startedAt;
        public long StartTimestamp { get; } = startTimestamp;
        public string? ClientCallId { get; } = clientCallId;
        public int ArgumentsBytes { get; } = argumentsBytes;
        public int ResultBytes { get; set; }
        public string? ErrorKind { get; private set; }
        public string? Error { get; private set; }

        public void Fail(string kind, string message) => (ErrorKind, Error) = (ErrorKind ?? kind, Error ?? message);
    }

    private static string? ClientCallId(RequestId id) => id.Id switch
    {
        string text => text,
        long number => number.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => null,
    };

    private static int JsonBytes<T>(T? value) => value is null
        ? 0
        : JsonSerializer.SerializeToUtf8Bytes(value, McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(T))).Length;

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
                await using var lease = await AcquireAsync(server, resolved, timeout.Token);
                try
                {
                    return (IReadOnlyList<Tool>)(await lease.Client.ListToolsAsync(cancellationToken: timeout.Token)).Select(t => t.ProtocolTool).ToList();
                }
                catch
                {
                    lease.Fail();
                    throw;
                }
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

    private async Task<UpstreamSessionPool.Lease> AcquireAsync(McpServerRecord server, ResolvedCredentials resolved, CancellationToken cancellationToken)
    {
        try
        {
            return await sessions.AcquireAsync(server, resolved.Headers, cancellationToken);
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
