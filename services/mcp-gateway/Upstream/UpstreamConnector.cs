using System.Reflection;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Requesty.McpGateway.Servers;

namespace Requesty.McpGateway.Upstream;

/// <summary>Opens an MCP client session to a registered upstream server with its (decrypted) headers.</summary>
public sealed class UpstreamConnector(IHttpClientFactory httpClientFactory, ILoggerFactory loggerFactory)
{
    public const string HttpClientName = "mcp-upstream";
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Bound for listing tools (explore, tools/list, health): a hanging server must not hang the caller.</summary>
    public static readonly TimeSpan ListTimeout = TimeSpan.FromSeconds(30);

    private static readonly Implementation ClientInfo = new()
    {
        Name = "requesty-mcp-gateway",
        Version = typeof(UpstreamConnector).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "1.0.0",
    };

    /// <exception cref="UpstreamUnavailableException">The server could not be reached or refused the handshake.</exception>
    public async Task<McpClient> ConnectAsync(McpServerRecord server, IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(server.Url),
            Name = server.Name,
            TransportMode = server.Transport == McpTransports.Sse ? HttpTransportMode.Sse : HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string>(headers, StringComparer.OrdinalIgnoreCase),
            ConnectionTimeout = ConnectTimeout,
            MaxReconnectionAttempts = 0,
        }, httpClientFactory.CreateClient(HttpClientName), loggerFactory, ownsHttpClient: true);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConnectTimeout);
        try
        {
            return await McpClient.CreateAsync(transport, new McpClientOptions { ClientInfo = ClientInfo }, loggerFactory, timeout.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await transport.DisposeAsync();
            throw new UpstreamUnavailableException(server.Name, e);
        }
    }
}

public sealed class UpstreamUnavailableException(string serverName, Exception inner)
    : Exception($"MCP server '{serverName}' is unreachable or refused the connection: {Describe(inner)}", inner)
{
    public string ServerName { get; } = serverName;

    private static string Describe(Exception e) => e switch
    {
        OperationCanceledException => "timed out",
        HttpRequestException { StatusCode: { } status } => $"HTTP {(int)status}",
        _ => e.GetBaseException().Message,
    };
}
