using System.Net;
using System.Text.Json;

namespace Requesty.TestKit;

public static class ServiceReadiness
{
    /// <summary>
    /// Polls /readyz until it answers 200. For a consumer that means its queue is bound, so events
    /// published from now on reach it (the fanout exchange drops messages nobody is bound for yet).
    /// </summary>
    public static async Task WaitUntilReadyAsync(this ServiceHost host, TimeSpan? timeout = null)
    {
        using var client = host.CreateClient();
        await Eventually.GetAsync(async () =>
            (await client.GetAsync("readyz")).StatusCode == HttpStatusCode.OK ? "ready" : null,
            timeout ?? TimeSpan.FromSeconds(60), $"{host.BaseAddress} ready");
    }

    /// <summary>The status of /readyz and the names of the checks it ran.</summary>
    public static async Task<(HttpStatusCode Status, IReadOnlyList<string> Checks)> GetReadinessAsync(this ServiceHost host)
    {
        using var client = host.CreateClient();
        using var response = await client.GetAsync("readyz");
        using var health = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var checks = health.RootElement.GetProperty("checks").EnumerateObject().Select(c => c.Name).ToList();
        return (response.StatusCode, checks);
    }
}
