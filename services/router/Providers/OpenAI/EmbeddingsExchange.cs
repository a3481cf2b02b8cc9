using System.Text.Json;
using System.Text.Json.Nodes;
using Requesty.Contracts.Events;
using Requesty.Router.Pipeline;

namespace Requesty.Router.Providers.OpenAI;

/// <summary>
/// POST {base}embeddings: the checked body goes upstream with the provider's model name and the
/// answer is relayed byte for byte (base64 vectors stay base64); only the usage is read from it.
/// </summary>
public sealed class EmbeddingsExchange(HttpClient http, JsonObject body, HttpResponse response, TimeProvider time)
    : BufferedJsonExchange(http, "embeddings", body, response, time)
{
    public const string Provider = "openai";

    protected override void ReadAnswer(byte[] answer, RequestRecord record)
    {
        record.Usage = ReadUsage(answer) ?? record.Usage;
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
