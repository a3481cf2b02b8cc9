using System.Net;
using System.Net.Sockets;

namespace Requesty.EndToEnd.Tests.Durability;

public static class FreePorts
{
    // Below Linux's ephemeral range (32768+): no outgoing connection can hold one of these ports
    // while a server we stopped is about to listen on it again.
    private const int First = 20_000;
    private const int End = 32_000;

    /// <summary>Distinct loopback ports nothing is bound to right now, outside the ephemeral range.</summary>
    public static int[] Take(int count)
    {
        var taken = new List<int>();
        for (var attempt = 0; taken.Count < count && attempt < 1_000; attempt++)
        {
            var port = Random.Shared.Next(First, End);
            if (!taken.Contains(port) && Bindable(port)) taken.Add(port);
        }
        return taken.Count == count ? [.. taken] : throw new InvalidOperationException($"no {count} free ports in {First}-{End}");
    }

    public static bool Listening(int port)
    {
        using var client = new TcpClient();
        try
        {
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static bool Bindable(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        finally
        {
            listener.Stop();
        }
    }
}
