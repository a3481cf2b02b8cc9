using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Requesty.EndToEnd.Tests.Durability;

/// <summary>
/// What one chat completion got: its status (0 = no HTTP answer), the router's request id (from the
/// headers) and why it failed, also when the headers arrived but the body was cut off.
/// </summary>
public sealed record ChatOutcome(int Index, int Status, string? RequestId, string? Failure)
{
    public bool Succeeded => Status == (int)HttpStatusCode.OK && RequestId is not null && Failure is null;
}

/// <summary>
/// Sends chat completions through a router with bounded concurrency; every fifth one streams.
/// Transport failures (a router going away) are recorded, not thrown.
/// </summary>
public sealed class ChatLoad(Uri router, string apiKey) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        BaseAddress = router,
        Timeout = TimeSpan.FromSeconds(60),
    };
    private int _completed;

    /// <summary>Requests answered so far (any outcome).</summary>
    public int Completed => Volatile.Read(ref _completed);

    public async Task<IReadOnlyList<ChatOutcome>> RunAsync(int firstIndex, int count, int concurrency)
    {
        var outcomes = new ChatOutcome[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = concurrency },
            async (i, _) =>
            {
                outcomes[i] = await SendAsync(firstIndex + i);
                Interlocked.Increment(ref _completed);
            });
        return outcomes;
    }

    public async Task<ChatOutcome> SendAsync(int index)
    {
        var stream = index % 5 == 4;
        var body = $$"""{"model":"openai/gpt-4o-mini","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"durability request {{index}}"}]}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException)
        {
            return new ChatOutcome(index, 0, null, ex.Message);
        }
        using (response)
        {
            var status = (int)response.StatusCode;
            var requestId = response.Headers.TryGetValues("x-request-id", out var ids) ? ids.Single() : null;
            try
            {
                var text = await response.Content.ReadAsStringAsync(); // the whole body (or stream) must arrive
                if (!response.IsSuccessStatusCode) return new ChatOutcome(index, status, requestId, text);
                return stream && !text.Contains("data: [DONE]", StringComparison.Ordinal)
                    ? new ChatOutcome(index, status, requestId, "stream ended without [DONE]")
                    : new ChatOutcome(index, status, requestId, null);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException)
            {
                return new ChatOutcome(index, status, requestId, $"body cut off: {ex.Message}");
            }
        }
    }

    /// <summary>
    /// Starts a streamed completion, reads the first bytes of the stream and goes away (the
    /// connection is closed with the body unread); returns the request id from the headers.
    /// </summary>
    public async Task<string> StartStreamAndCancelAsync(int index)
    {
        var body = $$"""{"model":"openai/gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"cancelled stream {{index}}"}]}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"stream answered {(int)response.StatusCode}");
        await using var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[64];
        if (await stream.ReadAsync(buffer) == 0) throw new InvalidOperationException("stream ended before its first event");
        return response.Headers.GetValues("x-request-id").Single();
    }

    public void Dispose() => _http.Dispose();
}
