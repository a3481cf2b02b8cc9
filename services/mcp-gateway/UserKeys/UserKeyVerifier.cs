using System.Net;
using Requesty.McpGateway.Servers;
using Requesty.McpGateway.Upstream;

namespace Requesty.McpGateway.UserKeys;

/// <summary>Tests a user's freshly stored credentials against the upstream (handshake + tool list).</summary>
public sealed class UserKeyVerifier(UpstreamCredentials credentials, UpstreamConnector connector)
{
    /// <returns>Why the upstream refused the credentials (401/403), or null when it accepted them or could not tell.</returns>
    public async Task<string?> FindRejectionAsync(McpServerRecord server, Guid userId, CancellationToken cancellationToken)
    {
        try
        {
            var resolved = await credentials.ResolveAsync(server, userId, cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(UpstreamConnector.ListTimeout);
            await using var client = await connector.ConnectAsync(server, resolved.Headers, timeout.Token);
            await client.ListToolsAsync(cancellationToken: timeout.Token);
            return null;
        }
        catch (UpstreamUnavailableException e) when (e.InnerException is HttpRequestException { StatusCode: HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden })
        {
            return $"The MCP server refused these credentials ({e.Message}).";
        }
        catch (Exception e) when (e is MissingUserKeyException or UpstreamUnavailableException or ModelContextProtocol.McpException
                                  or HttpRequestException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // Unreachable or otherwise broken: says nothing about the credentials themselves.
            return null;
        }
    }
}
