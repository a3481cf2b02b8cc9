using System.Collections.Concurrent;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Requesty.McpGateway.Mcp;

/// <summary>
/// Routes notifications/progress from pooled upstream sessions to the <see cref="ProgressRelay"/>
/// of the call they belong to, by the gateway-chosen upstream progress token. The handler lives as
/// long as the session (registered once per client), not per call: the SDK dispatches each incoming
/// message on its own task, so a per-call handler (CallToolAsync's IProgress) can already be gone
/// when the last notification, sent before the result, is handled.
/// </summary>
public sealed class ProgressRouter
{
    private readonly ConcurrentDictionary<string, ProgressRelay> _relays = new(StringComparer.Ordinal);

    public void Attach(McpClient client) =>
        client.RegisterNotificationHandler(NotificationMethods.ProgressNotification, (notification, _) =>
        {
            if (notification.Params?.Deserialize(McpJsonUtilities.DefaultOptions.GetTypeInfo<ProgressNotificationParams>()) is { } progress
                && progress.ProgressToken.Token is string token && _relays.TryGetValue(token, out var relay))
            {
                relay.Report(progress.Progress);
            }
            return ValueTask.CompletedTask;
        });

    /// <returns>The upstream token to send; dispose the registration when the call is over.</returns>
    public (string Token, IDisposable Registration) Register(ProgressRelay relay)
    {
        var token = $"requesty-{Guid.NewGuid():N}";
        _relays[token] = relay;
        return (token, new Registration(() => _relays.TryRemove(token, out _)));
    }

    private sealed class Registration(Action remove) : IDisposable
    {
        public void Dispose() => remove();
    }
}
