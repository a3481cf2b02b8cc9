using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Requesty.Contracts.Events;
using Requesty.Router.Pipeline;

namespace Requesty.Router.Providers.OpenAI;

/// <summary>
/// POST {base}embeddings: the checked body goes upstream with the provider's model name and the
/// answer is relayed byte for byte (base64 vectors stay base64); only the usage is read from it.
/// </summary>
public sealed class EmbeddingsExchange(HttpClient http, JsonObject body, HttpResponse response, TimeProvider time) : IUpstreamExchange
{
    public const string Provider = "openai";
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public Task<HttpResponseMessage> SendAsync(ProviderEndpoint endpoint, CancellationToken cancellationToken)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint.BaseAddress, "embeddings"))
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body.ToJsonString())) { Headers = { ContentType = Json } },
        };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", endpoint.ApiKey);
        return http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    public async Task<string?> RelayAsync(HttpResponseMessage upstream, RequestRecord record, CancellationToken cancellationToken)
    {
        var bytes = await upstream.Content.ReadAsByteArrayAsync(cancellationToken);
        record.FirstTokenAt = time.GetUtcNow().UtcDateTime;
        record.Usage = ReadUsage(bytes) ?? record.Usage;
        response.StatusCode = 200;
        response.ContentType = "application/json";
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, cancellationToken);
        return null;
    }

    /// <summary>The usage of an embeddings answer; a JsonDocument avoids building nodes for thousands of floats.</summary>
    public static TokenUsage? ReadUsage(byte[] answer)
    {
        try
        {
            using var document = JsonDocument.Parse(answer);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("usage", out var usage)) return null;
            return OpenAIUsage.Read(JsonNode.Parse(usage.GetRawText()));
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
