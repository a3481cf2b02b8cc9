using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using Requesty.Alerts.Application.Alerts;
using Requesty.Alerts.Infrastructure;

namespace Requesty.Alerts.Application.Delivery;

/// <summary>
/// Sends one claimed delivery to the organization's current webhook: Polly retries with exponential
/// backoff around a per-attempt timeout, each attempt written to the attempt log as it ends.
/// </summary>
public sealed class WebhookSender(
    DeliveryStore deliveries,
    WebhookStore webhooks,
    WebhookSecrets secrets,
    WebhookUrlPolicy urlPolicy,
    IOptions<DeliveryOptions> options,
    TimeProvider clock,
    ILogger<WebhookSender> logger) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectCallback = async (context, ct) =>
        {
            // Checked per connection, after DNS: a name that later resolves inside the network is refused.
            var addresses = await System.Net.Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, ct);
            var allowed = addresses.Where(urlPolicy.IsAllowed).ToArray();
            if (allowed.Length == 0) throw new HttpRequestException($"Webhook host {context.DnsEndPoint.Host} resolves only to internal addresses.");
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    })
    { Timeout = Timeout.InfiniteTimeSpan };

    public async Task SendAsync(ClaimedDelivery delivery, CancellationToken stopping)
    {
        var settings = options.Value;
        var webhook = await webhooks.GetAsync(delivery.OrganizationId, stopping);
        if (webhook is null)
        {
            logger.LogWarning("Delivery {Id}: organization {Org} has no webhook any more", delivery.Id, delivery.OrganizationId);
            await deliveries.CompleteAsync(delivery.Id, DeliveryStore.Failed, clock.GetUtcNow().UtcDateTime, CancellationToken.None);
            return;
        }

        var remaining = settings.MaxAttempts - delivery.Attempts;
        if (remaining <= 0)
        {
            await deliveries.CompleteAsync(delivery.Id, DeliveryStore.Failed, clock.GetUtcNow().UtcDateTime, CancellationToken.None);
            return;
        }

        var body = Render(webhook.Type, delivery.Payload);
        var secret = webhook.SecretEncrypted is { } sealedSecret && secrets.CanEncrypt ? secrets.Decrypt(sealedSecret) : null;
        var send = new SendState(delivery, webhook, body, secret, delivery.Attempts);

        var resilienceContext = ResilienceContextPool.Shared.Get(stopping);
        Outcome<bool> outcome;
        try
        {
            outcome = await BuildPipeline(settings, remaining).ExecuteOutcomeAsync(
                (context, state) => AttemptAsync(state, settings, context.CancellationToken, stopping), resilienceContext, send);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(resilienceContext);
        }
        var attempt = send.Attempt;

        var now = clock.GetUtcNow().UtcDateTime;
        if (outcome.Result)
        {
            await deliveries.CompleteAsync(delivery.Id, DeliveryStore.Delivered, now, CancellationToken.None);
        }
        else if (stopping.IsCancellationRequested && attempt < settings.MaxAttempts)
        {
            await deliveries.ReleaseAsync(delivery.Id, CancellationToken.None);
        }
        else
        {
            logger.LogWarning("Delivery {Id} failed after {Attempts} attempts", delivery.Id, attempt);
            await deliveries.CompleteAsync(delivery.Id, DeliveryStore.Failed, now, CancellationToken.None);
        }
    }

    private async ValueTask<Outcome<bool>> AttemptAsync(SendState send, DeliveryOptions settings, CancellationToken attemptToken, CancellationToken stopping)
    {
        var attempt = ++send.Attempt;
        var started = Stopwatch.GetTimestamp();
        var at = clock.GetUtcNow().UtcDateTime;
        try
        {
            using var request = BuildRequest(send.Delivery.Id, send.Webhook.Url, send.Body, send.Secret);
            using var response = await _http.SendAsync(request, attemptToken);
            var status = (int)response.StatusCode;
            await LogAsync(status, response.IsSuccessStatusCode ? null : $"HTTP {status}");
            return Outcome.FromResult(response.IsSuccessStatusCode);
        }
        catch (Exception ex) when (!stopping.IsCancellationRequested)
        {
            // The per-attempt timeout cancels the token; anything else is a transport error.
            var error = ex is OperationCanceledException ? $"timed out after {settings.AttemptTimeout.TotalSeconds:0.###} s" : ex.Message;
            await LogAsync(null, error);
            return Outcome.FromException<bool>(ex is OperationCanceledException ? new TimeoutRejectedException(error, ex) : ex);
        }

        Task LogAsync(int? status, string? error) => deliveries.RecordAttemptAsync(send.Delivery.Id, new DeliveryAttemptRecord(
            attempt, send.Webhook.Type, send.Webhook.Url, status,
            (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds, error, at), CancellationToken.None);
    }

    private sealed class SendState(ClaimedDelivery delivery, WebhookConfig webhook, string body, string? secret, int attempt)
    {
        public ClaimedDelivery Delivery { get; } = delivery;
        public WebhookConfig Webhook { get; } = webhook;
        public string Body { get; } = body;
        public string? Secret { get; } = secret;
        public int Attempt { get; set; } = attempt;
    }

    public static string Render(string webhookType, string payload) =>
        webhookType == WebhookTypes.Slack ? SlackMessages.Render(JsonNode.Parse(payload)!.AsObject()).ToJsonString() : payload;

    private HttpRequestMessage BuildRequest(Guid deliveryId, string url, string body, string? secret)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation(WebhookSignature.DeliveryIdHeader, deliveryId.ToString());
        if (secret is not null)
        {
            var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
            request.Headers.TryAddWithoutValidation(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.TryAddWithoutValidation(WebhookSignature.SignatureHeader, WebhookSignature.Compute(secret, timestamp, body));
        }
        return request;
    }

    private static ResiliencePipeline<bool> BuildPipeline(DeliveryOptions settings, int attempts)
    {
        var builder = new ResiliencePipelineBuilder<bool>();
        if (attempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions<bool>
            {
                MaxRetryAttempts = attempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                Delay = settings.BaseDelay,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is not null || !args.Outcome.Result),
            });
        }
        return builder.AddTimeout(settings.AttemptTimeout).Build();
    }

    public void Dispose() => _http.Dispose();
}
