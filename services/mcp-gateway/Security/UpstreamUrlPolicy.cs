using System.Net;
using System.Net.Sockets;

namespace Requesty.McpGateway.Security;

/// <summary>
/// SSRF guard for upstream MCP server URLs. Only http/https; the addresses a host resolves to must
/// not be loopback, private (RFC 1918, CGNAT), link-local (incl. the cloud metadata address
/// 169.254.169.254), unique-local IPv6, unspecified or multicast. Checked when a server is
/// registered or changed (a clear 400 naming "url") and again on every connection after DNS
/// resolution (<see cref="ConnectAsync"/>), so a name that later resolves elsewhere (DNS rebinding)
/// is still refused.
/// Configuration: Mcp:AllowPrivateNetworks=true allows all of those except the metadata address
/// (development); Mcp:AllowedNetworks="127.0.0.1/32,10.1.0.0/16" allows just those networks (tests).
/// </summary>
public sealed class UpstreamUrlPolicy
{
    public const string AllowPrivateNetworksKey = "Mcp:AllowPrivateNetworks";
    public const string AllowedNetworksKey = "Mcp:AllowedNetworks";

    private static readonly IPAddress MetadataAddress = IPAddress.Parse("169.254.169.254");
    private static readonly TimeSpan RegistrationDnsTimeout = TimeSpan.FromSeconds(3);

    private static readonly (IPNetwork Network, string Reason)[] Denied =
    [
        (IPNetwork.Parse("0.0.0.0/8"), "an unspecified address"),
        (IPNetwork.Parse("127.0.0.0/8"), "a loopback address"),
        (IPNetwork.Parse("10.0.0.0/8"), "a private network address"),
        (IPNetwork.Parse("172.16.0.0/12"), "a private network address"),
        (IPNetwork.Parse("192.168.0.0/16"), "a private network address"),
        (IPNetwork.Parse("100.64.0.0/10"), "a shared (carrier-grade NAT) address"),
        (IPNetwork.Parse("169.254.0.0/16"), "a link-local address"),
        (IPNetwork.Parse("224.0.0.0/4"), "a multicast address"),
        (IPNetwork.Parse("240.0.0.0/4"), "a reserved address"),
        (IPNetwork.Parse("::/128"), "an unspecified address"),
        (IPNetwork.Parse("::1/128"), "a loopback address"),
        (IPNetwork.Parse("fc00::/7"), "a unique-local IPv6 address"),
        (IPNetwork.Parse("fe80::/10"), "a link-local address"),
        (IPNetwork.Parse("ff00::/8"), "a multicast address"),
    ];

    private readonly bool _allowPrivate;
    private readonly IReadOnlyList<IPNetwork> _allowed;

    public UpstreamUrlPolicy(IConfiguration configuration)
    {
        _allowPrivate = configuration.GetValue(AllowPrivateNetworksKey, false);
        _allowed = (configuration[AllowedNetworksKey] ?? "")
            .Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(n => n.Contains('/') ? IPNetwork.Parse(n) : new IPNetwork(IPAddress.Parse(n), IPAddress.Parse(n).AddressFamily == AddressFamily.InterNetwork ? 32 : 128))
            .ToList();
    }

    /// <returns>Why the address may not be used, or null when it may.</returns>
    public string? DenialReason(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (_allowed.Any(n => n.Contains(address))) return null;
        if (address.Equals(MetadataAddress)) return "the cloud metadata address";
        if (_allowPrivate) return null;
        foreach (var (network, reason) in Denied)
        {
            if (network.BaseAddress.AddressFamily == address.AddressFamily && network.Contains(address)) return reason;
        }
        return null;
    }

    /// <summary>
    /// Registration-time check of a URL that already passed the syntax checks. A host name that
    /// cannot be resolved now is accepted (it may be temporarily unavailable); the connection-time
    /// check decides then.
    /// </summary>
    /// <returns>The field message for "url", or null when allowed.</returns>
    public async Task<string?> CheckAsync(Uri url, CancellationToken cancellationToken)
    {
        if (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps) return "url must use http or https.";
        IPAddress[] addresses;
        if (IPAddress.TryParse(url.IdnHost, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(RegistrationDnsTimeout);
                addresses = await Dns.GetHostAddressesAsync(url.IdnHost, timeout.Token);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                return null;
            }
        }
        foreach (var address in addresses)
        {
            if (DenialReason(address) is { } reason)
                return $"url must point to a public address; {url.Host} is {reason} ({address}). " +
                       $"Private networks need {AllowPrivateNetworksKey}=true or {AllowedNetworksKey}.";
        }
        return null;
    }

    /// <summary>SocketsHttpHandler.ConnectCallback: resolves the host and connects only to allowed addresses.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var allowed = addresses.Where(a => DenialReason(a) is null).ToList();
        if (allowed.Count == 0)
        {
            var first = addresses.FirstOrDefault();
            throw new UpstreamAddressDeniedException(
                first is null ? $"{host} has no address." : $"{host} resolves to {DenialReason(first)} ({first}), which the gateway may not call.");
        }

        Exception? last = null;
        foreach (var address in allowed)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
        }
        throw last!;
    }
}

/// <summary>The upstream's address is not allowed by <see cref="UpstreamUrlPolicy"/>.</summary>
public sealed class UpstreamAddressDeniedException(string message) : IOException(message);
