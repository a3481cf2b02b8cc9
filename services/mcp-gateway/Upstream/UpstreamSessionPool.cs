using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using ModelContextProtocol.Client;
using Requesty.McpGateway.Mcp;
using Requesty.McpGateway.Servers;

namespace Requesty.McpGateway.Upstream;

/// <summary>
/// Initialised upstream MCP client sessions, reused per (server version, exact credential set)
/// instead of a handshake per call. An MCP client multiplexes concurrent requests over one session,
/// so one session serves all callers sharing those credentials. Sessions are dropped when idle for
/// Mcp:UpstreamIdleSeconds (default 120), when a call on them fails at the transport/protocol
/// level (<see cref="Lease.Fail"/>), when the upstream closed them, and when the server is changed
/// or deleted (<see cref="EvictServer"/>; the key also holds the server's UpdatedAt, so replicas
/// that did not see the change never pick an outdated session).
/// </summary>
public sealed class UpstreamSessionPool : IAsyncDisposable
{
    public const string IdleSecondsKey = "Mcp:UpstreamIdleSeconds";

    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);
    private readonly UpstreamConnector _connector;
    private readonly ProgressRouter _progress;
    private readonly TimeProvider _clock;
    private readonly ILogger<UpstreamSessionPool> _logger;
    private readonly ITimer _sweeper;
    private readonly CancellationTokenSource _disposed = new();

    public UpstreamSessionPool(
        UpstreamConnector connector, ProgressRouter progress, TimeProvider clock, IConfiguration configuration, ILogger<UpstreamSessionPool> logger)
    {
        _connector = connector;
        _progress = progress;
        _clock = clock;
        _logger = logger;
        IdleTimeout = TimeSpan.FromSeconds(Math.Max(1, configuration.GetValue(IdleSecondsKey, 120)));
        var sweepEvery = TimeSpan.FromSeconds(Math.Clamp(IdleTimeout.TotalSeconds / 2, 1, 30));
        _sweeper = clock.CreateTimer(_ => _ = SweepAsync(), null, sweepEvery, sweepEvery);
    }

    public TimeSpan IdleTimeout { get; }

    /// <summary>Number of sessions currently pooled (diagnostics and tests).</summary>
    public int Count => _sessions.Count;

    /// <summary>A pooled session for the server with these headers, creating it when needed. Dispose the lease when done.</summary>
    /// <exception cref="UpstreamUnavailableException">The server could not be reached or refused the handshake.</exception>
    public async Task<Lease> AcquireAsync(McpServerRecord server, IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken)
    {
        var key = KeyOf(server, headers);
        for (var attempt = 1; ; attempt++)
        {
            var session = _sessions.GetOrAdd(key, k => new Session(k, server.Id, Connect(server, headers), _clock.GetTimestamp()));
            Interlocked.Increment(ref session.InUse);
            if (session.Removed && attempt < 3)
            {
                // Evicted or swept between lookup and use; Remove saw InUse == 0 and may dispose it.
                Release(session, failed: false);
                continue;
            }

            McpClient client;
            try
            {
                client = await session.Client.WaitAsync(cancellationToken);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested || session.Client.IsFaulted)
            {
                Release(session, failed: true);
                throw;
            }
            catch
            {
                Release(session, failed: false);
                throw;
            }

            if (client.Completion.IsCompleted && attempt < 3)
            {
                // The upstream ended this session (restart, session expiry): start a fresh one.
                Release(session, failed: true);
                continue;
            }
            return new Lease(this, session, client);
        }
    }

    /// <summary>Drops every session of a server (its settings or credentials changed, or it was deleted).</summary>
    public void EvictServer(Guid serverId)
    {
        foreach (var session in _sessions.Values.Where(s => s.ServerId == serverId)) Remove(session);
    }

    // Not tied to the first caller's token: other callers may be waiting for the same session.
    private Task<McpClient> Connect(McpServerRecord server, IReadOnlyDictionary<string, string> headers) =>
        Task.Run(async () =>
        {
            var client = await _connector.ConnectAsync(server, headers, _disposed.Token);
            _progress.Attach(client);
            return client;
        });

    private void Release(Session session, bool failed)
    {
        session.LastUsed = _clock.GetTimestamp();
        var inUse = Interlocked.Decrement(ref session.InUse);
        if (failed) Remove(session);
        else if (session.Removed && inUse == 0) _ = DisposeAsync(session);
    }

    private void Remove(Session session)
    {
        if (!_sessions.TryRemove(new KeyValuePair<string, Session>(session.Key, session))) return;
        session.Removed = true;
        if (Volatile.Read(ref session.InUse) == 0) _ = DisposeAsync(session);
    }

    private async Task DisposeAsync(Session session)
    {
        if (Interlocked.Exchange(ref session.Disposed, 1) == 1) return;
        try
        {
            if (session.Client.IsCompletedSuccessfully) await session.Client.Result.DisposeAsync();
        }
        catch (Exception e)
        {
            _logger.LogDebug(e, "Closing a pooled session of MCP server {ServerId} failed", session.ServerId);
        }
    }

    private async Task SweepAsync()
    {
        foreach (var session in _sessions.Values)
        {
            var idle = Volatile.Read(ref session.InUse) == 0 && _clock.GetElapsedTime(session.LastUsed) > IdleTimeout;
            var dead = session.Client.IsCompletedSuccessfully && session.Client.Result.Completion.IsCompleted;
            if (idle || dead) Remove(session);
        }
        await Task.CompletedTask;
    }

    /// <summary>Server version and a digest of the exact headers (never the header values themselves).</summary>
    private static string KeyOf(McpServerRecord server, IReadOnlyDictionary<string, string> headers)
    {
        var text = new StringBuilder().Append(server.Url).Append('\n').Append(server.Transport);
        foreach (var (name, value) in headers.OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase))
            text.Append('\n').Append(name.ToLowerInvariant()).Append(':').Append(value);
        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
        return $"{server.Id}:{server.UpdatedAt.Ticks}:{digest}";
    }

    public async ValueTask DisposeAsync()
    {
        await _sweeper.DisposeAsync();
        await _disposed.CancelAsync();
        foreach (var session in _sessions.Values) Remove(session);
        _disposed.Dispose();
    }

    internal sealed class Session(string key, Guid serverId, Task<McpClient> client, long createdAt)
    {
        public string Key { get; } = key;
        public Guid ServerId { get; } = serverId;
        public Task<McpClient> Client { get; } = client;
        public int InUse;
        public int Disposed;
        public long LastUsed = createdAt;
        public volatile bool Removed;
    }

    /// <summary>One caller's use of a pooled session.</summary>
    public sealed class Lease : IAsyncDisposable
    {
        private readonly UpstreamSessionPool _pool;
        private readonly Session _session;
        private bool _failed;
        private int _released;

        internal Lease(UpstreamSessionPool pool, Session session, McpClient client)
        {
            _pool = pool;
            _session = session;
            Client = client;
        }

        public McpClient Client { get; }

        /// <summary>The session broke (transport or protocol failure): do not hand it out again.</summary>
        public void Fail() => _failed = true;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) _pool.Release(_session, _failed);
            return ValueTask.CompletedTask;
        }
    }
}
