using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Requesty.Router.Pipeline;

namespace Requesty.Router.Providers.OpenAI;

/// <summary>
/// POST {base}{path} with the checked body and a bearer key; the whole answer is read, then relayed byte
/// for byte after the subclass has taken what billing needs from it.
/// </summary>
public abstract class BufferedJsonExchange(HttpClient http, string path, JsonObject body, HttpResponse response, TimeProvider time) : IUpstreamExchange
{
    public Task<HttpResponseMessage> SendAsync(ProviderEndpoint endpoint, CancellationToken cancellationToken)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint.BaseAddress, path))
        {
            Content = JsonPayload.Content(body),
        };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", endpoint.ApiKey);
        return http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    public async Task<string?> RelayAsync(HttpResponseMessage upstream, RequestRecord record, CancellationToken cancellationToken)
    {
        var bytes = await upstream.Content.ReadAsByteArrayAsync(cancellationToken);
        record.FirstTokenAt = time.GetUtcNow().UtcDateTime;
        ReadAnswer(bytes, record);
        response.StatusCode = 200;
        response.ContentType = "application/json";
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, cancellationToken);
        return null;
    }

    /// <summary>Takes the usage (and anything else billed) from the answer before it is relayed.</summary>
    protected abstract void ReadAnswer(byte[] answer, RequestRecord record);
}
