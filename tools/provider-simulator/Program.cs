// Like the router (services/router/Hosting/InlineIo.cs): socket completions on the I/O thread, so a simulated
// upstream costs the machine it shares with the router as little as possible. Read once, before any socket.
if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") is null)
    Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
Requesty.ProviderSimulator.SimulatorApp.Build(args).Run();
