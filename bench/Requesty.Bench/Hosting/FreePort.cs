using System.Net;
using System.Net.Sockets;

namespace Requesty.Bench.Hosting;

public static class FreePort
{
    /// <summary>A port the OS considers free on loopback right now (the bench's own servers use these, never the default ports).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
