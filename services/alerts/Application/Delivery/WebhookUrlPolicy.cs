using System.Net;
using System.Net.Sockets;

namespace Requesty.Alerts.Application.Delivery;

/// <summary>
/// Which webhook URLs are acceptable: absolute http/https only, and (unless allowed) none that point
/// at internal addresses - checked when the URL is saved and again on every connection, so a DNS
/// answer that changes later cannot reach inside the network.
/// </summary>
public sealed class WebhookUrlPolicy(bool allowPrivateAddresses)
{
    public bool AllowPrivateAddresses => allowPrivateAddresses;

    /// <summary>Null when acceptable, else the field message.</summary>
    public async Task<string?> ValidateAsync(string? url, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
            return "url must be an absolute URL.";
        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            return "url must use http or https.";
        if (!string.IsNullOrEmpty(uri.UserInfo))
            return "url must not contain credentials.";
        if (allowPrivateAddresses) return null;

        IPAddress[] addresses;
        if (IPAddress.TryParse(uri.IdnHost, out var literal)) addresses = [literal];
        else if (uri.IdnHost.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return "url must not point at a private or internal address.";
        else
        {
            try { addresses = await Dns.GetHostAddressesAsync(uri.IdnHost, ct); }
            catch (SocketException) { return "url host does not resolve."; }
        }
        return addresses.Any(IsInternal) ? "url must not point at a private or internal address." : null;
    }

    public bool IsAllowed(IPAddress address) => allowPrivateAddresses || !IsInternal(address);

    public static bool IsInternal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address)) return true;
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
                || address.Equals(IPAddress.IPv6Any) || (b[0] & 0xFE) == 0xFC; // fc00::/7 unique local
        }
        var o = address.GetAddressBytes();
        return o[0] switch
        {
            0 or 10 or 127 => true,
            100 => o[1] >= 64 && o[1] <= 127,          // carrier-grade NAT
            169 => o[1] == 254,                        // link-local, cloud metadata
            172 => o[1] >= 16 && o[1] <= 31,
            192 => o[1] == 168 || (o[1] == 0 && o[2] == 0),
            198 => o[1] == 18 || o[1] == 19,           // benchmarking
            >= 224 => true,                            // multicast, reserved, broadcast
            _ => false,
        };
    }
}
