using System.Diagnostics;
using System.Net.Http.Json;

namespace Requesty.Router.Tests.Integration;

/// <summary>
/// A stream the simulator paces (chunk_delay_ms between events) read through the router: relayed as they come, the
/// first event is read long before the last; held back, they all arrive together at the end.
/// </summary>
internal static class PacedStream
{
    private const int DelayMs = 150;

    public static async Task AssertArrivesEventByEventAsync(RouterHarness harness, string provider, string path, object body)
    {
        using var sim = harness.Simulator.CreateClient();
        (await sim.PutAsJsonAsync("__sim/behaviour", new { provider, chunk_delay_ms = DelayMs, count = 1 })).EnsureSuccessStatusCode();
        using var http = harness.CreateRouterClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var clock = Stopwatch.StartNew();
        TimeSpan? firstEvent = null;
        var events = 0;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (!line.StartsWith("data:", StringComparison.Ordinal)) continue;
            events++;
            firstEvent ??= clock.Elapsed;
        }
        var end = clock.Elapsed;

        Assert.True(events > 4, $"only {events} events");
        Assert.True(end - firstEvent!.Value >= TimeSpan.FromMilliseconds(DelayMs * (events - 3)),
            $"first event at {firstEvent.Value.TotalMilliseconds} ms, stream ended at {end.TotalMilliseconds} ms ({events} events)");
    }
}
