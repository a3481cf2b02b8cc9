using System.Buffers;
using System.Diagnostics;
using System.Net.Http.Headers;

namespace Requesty.Bench.Load;

/// <summary>One place to send a chat completion to (the router or the simulator directly), with a fixed body.</summary>
public sealed class ChatTarget(HttpClient client, Uri url, string bearer, byte[] body)
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly AuthenticationHeaderValue _authorization = new("Bearer", bearer);

    public Uri Url => url;

    /// <summary>The request body every send carries.</summary>
    public byte[] Body => body;

    /// <summary>Sends one request and reads the whole response; timestamps are Stopwatch ticks.</summary>
    public async Task<SendResult> SendAsync(CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = Json;
            request.Headers.Authorization = _authorization;
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            await using var content = await response.Content.ReadAsStreamAsync(cancellationToken);
            long firstByte = 0;
            int read;
            while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (firstByte == 0) firstByte = Stopwatch.GetTimestamp();
            }
            var end = Stopwatch.GetTimestamp();
            return new SendResult(response.IsSuccessStatusCode, (int)response.StatusCode, firstByte == 0 ? end : firstByte, end);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            return new SendResult(false, 0, 0, Stopwatch.GetTimestamp());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Pooled keep-alive connections to loopback, no proxy, no decompression: the client must cost little.</summary>
    public static HttpClient CreateClient() => new(new SocketsHttpHandler
    {
        UseProxy = false,
        AutomaticDecompression = System.Net.DecompressionMethods.None,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        MaxConnectionsPerServer = int.MaxValue,
        UseCookies = false,
        AllowAutoRedirect = false,
    })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };
}

public readonly record struct SendResult(bool Ok, int Status, long FirstByteTimestamp, long EndTimestamp);
