namespace Requesty.Router.Hosting;

/// <summary>
/// Runs socket completions and Kestrel's request processing on the I/O thread that saw the data, instead of
/// handing every step to a thread-pool worker. A proxied request otherwise wakes a sleeping thread several times
/// (client read, upstream write, upstream read, client write); on a small machine those wake-ups were most of the
/// router's added latency. Safe because nothing on the router's request path blocks a thread: it awaits all I/O.
/// Turn off with Router:InlineIo=false (Kestrel part) or DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=0 (sockets).
/// </summary>
public static class InlineIo
{
    private const string SocketsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>For the router process only (Program.cs), before any socket exists: the runtime reads it once.</summary>
    public static void EnableSocketCompletions()
    {
        if (Environment.GetEnvironmentVariable(SocketsVariable) is null) Environment.SetEnvironmentVariable(SocketsVariable, "1");
    }

    public static void ConfigureKestrel(WebApplicationBuilder builder) =>
        builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = builder.Configuration.GetValue("Router:InlineIo", true));
}
