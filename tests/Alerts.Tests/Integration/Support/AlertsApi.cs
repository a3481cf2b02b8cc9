using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Requesty.TestKit;

namespace Requesty.Alerts.Tests.Integration.Support;

/// <summary>Calls the alerts REST API as an external caller would (snake_case JSON; internal token unless an API key is given).</summary>
public sealed class AlertsApi(HttpClient client)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string uri, object? body = null) =>
        SendAsAsync(TestServers.InternalToken, method, uri, body);

    /// <summary>Sends with the given bearer token (an API key, or the internal token).</summary>
    public async Task<HttpResponseMessage> SendAsAsync(string token, HttpMethod method, string uri, object? body = null)
    {
        using var request = new HttpRequestMessage(method, uri);
        request.Headers.Authorization = new("Bearer", token);
        if (body is not null) request.Content = JsonContent.Create(body, options: Json);
        return await client.SendAsync(request);
    }

    public async Task<JsonObject> SendOkAsync(HttpMethod method, string uri, object? body = null)
    {
        using var response = await SendAsync(method, uri, body);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"{method} {uri} answered {(int)response.StatusCode}: {text}");
        return response.StatusCode == HttpStatusCode.NoContent ? [] : JsonNode.Parse(text)!.AsObject();
    }

    public async Task<Guid> CreateRuleAsync(Guid org, string type, decimal threshold) =>
        Guid.Parse((string)(await SendOkAsync(HttpMethod.Post, $"v1/alerts/rules?org_id={org}", new { type, threshold }))["id"]!);

    public Task PutWebhookAsync(Guid org, string type, string url, string? secret = null) =>
        SendOkAsync(HttpMethod.Put, $"v1/alerts/webhook?org_id={org}", new { type, url, secret });

    public async Task<JsonArray> GetDeliveriesAsync(Guid org) =>
        (await SendOkAsync(HttpMethod.Get, $"v1/alerts/deliveries?org_id={org}"))["data"]!.AsArray();

    /// <summary>Polls the delivery list until the predicate holds.</summary>
    public Task<JsonArray> WaitForDeliveriesAsync(Guid org, Func<JsonArray, bool> predicate, string because, TimeSpan? timeout = null) =>
        Eventually.GetAsync(async () =>
        {
            var list = await GetDeliveriesAsync(org);
            return predicate(list) ? list : null;
        }, timeout ?? TimeSpan.FromSeconds(30), because);

    public async Task<long> RequestCountAsync(Guid org, string month)
    {
        var spend = await SendOkAsync(HttpMethod.Get, $"v1/alerts/spend?org_id={org}&month={month}&scope=organization");
        var rows = spend["rows"]!.AsArray();
        return rows.Count == 0 ? 0 : (long)rows[0]!["request_count"]!;
    }

    /// <summary>Waits until the service has consumed <paramref name="count"/> requests of the organization in that month.</summary>
    public Task WaitForRequestCountAsync(Guid org, string month, long count) =>
        Eventually.GetAsync(async () => await RequestCountAsync(org, month) >= count ? "consumed" : null,
            TimeSpan.FromSeconds(30), $"{count} requests consumed for {org}");
}
