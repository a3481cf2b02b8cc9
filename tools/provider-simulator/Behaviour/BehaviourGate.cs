using System.Text.Json;
using Microsoft.Extensions.Options;
using Requesty.ProviderSimulator.Infrastructure;

namespace Requesty.ProviderSimulator.Behaviour;

/// <summary>
/// Applies the behaviour for a request before any answer is produced: hangs (timeout), delays
/// (latency_ms) and forced error statuses. Streams apply ttft/chunk delays themselves (<see cref="Streaming.SseWriter"/>).
/// </summary>
public sealed class BehaviourGate(BehaviourStore store, IHostApplicationLifetime lifetime, IOptions<SimulatorOptions> options)
{
    public const string HeaderName = "x-sim-behaviour";

    /// <summary>The behaviour from the x-sim-behaviour header (wins) or from the stored rules; an error text when the header is malformed.</summary>
    public (SimBehaviour? Behaviour, string? Problem) Resolve(HttpContext context, string provider, string model)
    {
        var header = context.Request.Headers[HeaderName].ToString();
        if (header.Length == 0) return (store.Take(provider, model), null);
        try
        {
            var behaviour = JsonSerializer.Deserialize<SimBehaviour>(header, SimBehaviour.Json);
            var errors = behaviour?.Validate() ?? [];
            return errors.Count == 0 ? (behaviour, null) : (null, $"{HeaderName}: {string.Join(" ", errors.Values.SelectMany(v => v))}");
        }
        catch (JsonException ex)
        {
            return (null, $"{HeaderName} is not a valid behaviour object: {ex.Message}");
        }
    }

    /// <summary>Cancelled when the client goes away or the simulator shuts down.</summary>
    public CancellationToken Token(HttpContext context)
    {
        if (context.Items.TryGetValue(TokenKey, out var existing) && existing is CancellationTokenSource source) return source.Token;
        var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        context.Response.RegisterForDispose(linked);
        context.Items[TokenKey] = linked;
        return linked.Token;
    }

    private const string TokenKey = "sim.token";

    /// <summary>Runs timeout / latency / status; true when the request has been answered (or abandoned) here.</summary>
    public async Task<bool> InterceptAsync(HttpContext context, SimBehaviour? behaviour, ProviderErrorBody errors)
    {
        if (behaviour is null) return false;
        var token = Token(context);
        if (behaviour.Timeout == true)
        {
            if (!await DelayAsync(TimeSpan.FromSeconds(options.Value.TimeoutSeconds), token)) return true;
            await context.Response.WriteProviderErrorAsync(errors, StatusCodes.Status504GatewayTimeout, "Simulated upstream timeout.");
            return true;
        }
        if (behaviour.LatencyMs is > 0 && !await DelayAsync(TimeSpan.FromMilliseconds(behaviour.LatencyMs.Value), token)) return true;
        if (behaviour.IsError)
        {
            var status = behaviour.Status!.Value;
            var retryAfter = status == StatusCodes.Status429TooManyRequests ? behaviour.RetryAfterS : null;
            await context.Response.WriteProviderErrorAsync(errors, status, $"Simulated error {status}.", retryAfter);
            return true;
        }
        return false;
    }

    /// <summary>False when cancelled (client gone or shutting down).</summary>
    public static async Task<bool> DelayAsync(TimeSpan delay, CancellationToken token)
    {
        try
        {
            await Task.Delay(delay, token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
