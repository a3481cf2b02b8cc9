using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Nodes;
using Requesty.Contracts.Events;
using Requesty.Router.Catalog;
using Requesty.Router.Pipeline;

namespace Requesty.Router.Providers.Google;

/// <summary>
/// OpenAI /v1/embeddings served by Gemini's POST v1beta/models/{model}:batchEmbedContents: one request per input
/// ('dimensions' becomes outputDimensionality), the embeddings answered as an OpenAI list in float or base64
/// (little-endian float32, as OpenAI encodes them). The Gemini API reports no usage for embeddings, so the
/// input tokens are estimated at four characters a token.
/// </summary>
public sealed class GeminiEmbeddingsExchange(HttpClient http, IReadOnlyList<string> inputs, int? dimensions, bool base64, CatalogModel model,
    HttpResponse response, TimeProvider time) : IUpstreamExchange
{
    public const string Provider = "google";

    /// <summary>The OpenAI request as Gemini texts; null (with the reason) when it holds token arrays, which Gemini cannot embed.</summary>
    public static (List<string>? Inputs, string? Problem) ReadInputs(JsonNode? input) => input switch
    {
        JsonValue value when value.GetValueKind() == JsonValueKind.String => ([value.GetValue<string>()], null),
        JsonArray array when array.All(i => i is JsonValue v && v.GetValueKind() == JsonValueKind.String) => ([.. array.Select(i => i!.GetValue<string>())], null),
        _ => (null, "Google embedding models take text only: 'input' must be a string or an array of strings (not tokens)."),
    };

    /// <summary>The batchEmbedContents body.</summary>
    public static JsonObject RequestBody(string upstreamModel, IEnumerable<string> inputs, int? dimensions) => new()
    {
        ["requests"] = new JsonArray([.. inputs.Select(text =>
        {
            var request = new JsonObject
            {
                ["model"] = "models/" + upstreamModel,
                ["content"] = new JsonObject { ["parts"] = new JsonArray(new JsonObject { ["text"] = text }) },
            };
            if (dimensions is { } size) request["outputDimensionality"] = size;
            return (JsonNode)request;
        })]),
    };

    public static long EstimateTokens(IEnumerable<string> inputs) => inputs.Sum(text => Math.Max(1L, (text.Length + 3) / 4));

    public Task<HttpResponseMessage> SendAsync(ProviderEndpoint endpoint, CancellationToken cancellationToken)
    {
        var path = $"v1beta/models/{Uri.EscapeDataString(model.UpstreamModel)}:batchEmbedContents";
        var message = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint.BaseAddress, path))
        {
            Content = JsonPayload.Content(RequestBody(model.UpstreamModel, inputs, dimensions)),
        };
        message.Headers.Add("x-goog-api-key", endpoint.ApiKey);
        return http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    public async Task<string?> RelayAsync(HttpResponseMessage upstream, RequestRecord record, CancellationToken cancellationToken)
    {
        var answer = await upstream.Content.ReadAsByteArrayAsync(cancellationToken);
        record.FirstTokenAt = time.GetUtcNow().UtcDateTime;
        var tokens = EstimateTokens(inputs);
        record.Usage = new TokenUsage { InputTokens = tokens };
        byte[] bytes;
        try
        {
            bytes = ToOpenAI(answer, model.Id, base64, tokens);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            throw new HttpRequestException($"google: the embeddings answer is malformed ({ex.Message}).", ex);
        }
        response.StatusCode = 200;
        response.ContentType = "application/json";
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, cancellationToken);
        return null;
    }

    /// <summary>{"embeddings":[{"values":[...]}]} -> OpenAI's {"object":"list","data":[...],"model","usage"}, written without a node tree.</summary>
    public static byte[] ToOpenAI(byte[] geminiAnswer, string modelId, bool base64, long promptTokens)
    {
        using var document = JsonDocument.Parse(geminiAnswer);
        if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("embeddings", out var embeddings)
            || embeddings.ValueKind != JsonValueKind.Array)
            throw new HttpRequestException("google: the embeddings answer has no 'embeddings' array.");
        using var output = new MemoryStream();
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            writer.WriteString("object", "list");
            writer.WriteStartArray("data");
            var index = 0;
            foreach (var embedding in embeddings.EnumerateArray())
            {
                writer.WriteStartObject();
                writer.WriteString("object", "embedding");
                writer.WriteNumber("index", index++);
                var values = embedding.GetProperty("values");
                if (base64)
                {
                    var packed = new byte[values.GetArrayLength() * 4];
                    var offset = 0;
                    foreach (var value in values.EnumerateArray())
                    {
                        BinaryPrimitives.WriteSingleLittleEndian(packed.AsSpan(offset), value.GetSingle());
                        offset += 4;
                    }
                    writer.WriteBase64String("embedding", packed);
                }
                else
                {
                    writer.WriteStartArray("embedding");
                    foreach (var value in values.EnumerateArray()) writer.WriteNumberValue(value.GetSingle());
                    writer.WriteEndArray();
                }
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteString("model", modelId);
            writer.WriteStartObject("usage");
            writer.WriteNumber("prompt_tokens", promptTokens);
            writer.WriteNumber("total_tokens", promptTokens);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return output.ToArray();
    }
}
