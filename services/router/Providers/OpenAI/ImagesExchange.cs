using System.Text.Json;
using System.Text.Json.Nodes;
using Requesty.Contracts.Events;
using Requesty.Router.Pipeline;

namespace Requesty.Router.Providers.OpenAI;

/// <summary>
/// POST {base}images/generations: the checked body goes upstream with the provider's model name and
/// the answer is relayed byte for byte; the usage and the number of images are read from it for billing.
/// </summary>
public sealed class ImagesExchange(HttpClient http, JsonObject body, HttpResponse response, TimeProvider time)
    : BufferedJsonExchange(http, "images/generations", body, response, time)
{
    public const string Provider = "openai";

    /// <summary>How many images the provider returned (known after the relay).</summary>
    public int ImageCount { get; private set; }

    protected override void ReadAnswer(byte[] answer, RequestRecord record)
    {
        var (images, usage) = Read(answer);
        ImageCount = images;
        record.Usage = usage ?? record.Usage;
    }

    /// <summary>Number of images and token usage of an answer; a JsonDocument avoids building nodes for the base64 payloads.</summary>
    public static (int Images, TokenUsage? Usage) Read(byte[] answer)
    {
        try
        {
            using var document = JsonDocument.Parse(answer);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return (0, null);
            var images = root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array ? data.GetArrayLength() : 0;
            var usage = root.TryGetProperty("usage", out var u) ? ImagesUsage.Read(JsonNode.Parse(u.GetRawText())) : null;
            return (images, usage);
        }
        catch (JsonException)
        {
            return (0, null);
        }
    }
}
