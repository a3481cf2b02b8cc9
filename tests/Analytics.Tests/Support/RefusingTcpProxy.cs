using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Requesty.Analytics.Tests.Support;

/// <summary>
/// A TCP forwarder on 127.0.0.1 in front of a real server. <see cref="RefuseConnectionsAsync"/> acts like the
/// server being stopped: open connections are cut and new ones are refused (nothing listens on the port)
/// for the given time, then it listens on the same port again. The shared server itself is never touched.
/// </summary>
public sealed class RefusingTcpProxy : IAsyncDisposable
{
    private readonly IPEndPoint _upstream;
    private readonly ConcurrentDictionary<long, (TcpClient Client, TcpClient Upstream)> _connections = new();
    private TcpListener? _listener;
    private long _nextId;
    private int _port;

    private RefusingTcpProxy(IPEndPoint upstream) => _upstream = upstream;

    public string Url => $"http://127.0.0.1:{_port}/";

    /// <summary>Connections refused or cut so far (a sign the outage was felt).</summary>
    public int CutConnections;

    public static RefusingTcpProxy Start(Uri upstream)
    {
        var proxy = new RefusingTcpProxy(new IPEndPoint(IPAddress.Loopback, upstream.Port));
        proxy.Listen();
        return proxy;
    }

    public async Task RefuseConnectionsAsync(TimeSpan duration)
    {
        _listener?.Stop();
        _listener = null;
        foreach (var (id, pair) in _connections)
        {
            Interlocked.Increment(ref CutConnections);
            Close(id, pair);
        }
        await Task.Delay(duration);
        Listen();
    }

    private void Listen()
    {
        var listener = new TcpListener(IPAddress.Loopback, _port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        _port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _listener = listener;
        _ = AcceptAsync(listener);
    }

    private async Task AcceptAsync(TcpListener listener)
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync();
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = ForwardAsync(client);
        }
    }

    private async Task ForwardAsync(TcpClient client)
    {
        var upstream = new TcpClient { NoDelay = true };
        client.NoDelay = true;
        var id = Interlocked.Increment(ref _nextId);
        try
        {
            await upstream.ConnectAsync(_upstream);
            _connections[id] = (client, upstream);
            var a = client.GetStream().CopyToAsync(upstream.GetStream());
            var b = upstream.GetStream().CopyToAsync(client.GetStream());
            await Task.WhenAny(a, b);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            // A cut connection: the client sees a reset, as with a server that went away.
        }
        finally
        {
            Close(id, (client, upstream));
        }
    }

    private void Close(long id, (TcpClient Client, TcpClient Upstream) pair)
    {
        _connections.TryRemove(id, out _);
        try { pair.Client.Client.LingerState = new LingerOption(true, 0); } catch (ObjectDisposedException) { }
        pair.Client.Dispose();
        pair.Upstream.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        _listener?.Stop();
        foreach (var (id, pair) in _connections) Close(id, pair);
        return ValueTask.CompletedTask;
    }
}
