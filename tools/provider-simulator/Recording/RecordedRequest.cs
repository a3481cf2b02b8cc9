using System.Text.Json.Nodes;

namespace Requesty.ProviderSimulator.Recording;

/// <summary>One request as the simulator received it (headers unredacted: this is a test double).</summary>
public sealed record RecordedRequest(
    DateTimeOffset ReceivedAt,
    string Method,
    string Path,
    string Query,
    IReadOnlyDictionary<string, string> Headers,
    JsonNode? Body)
{
    /// <summary>When the response headers went out (for non-streamed answers: with the body); null until then.</summary>
    public DateTimeOffset? HeadersSentAt { get; init; }

    /// <summary>When the first content chunk of a stream was written; null for non-streamed answers and streams without content.</summary>
    public DateTimeOffset? FirstContentAt { get; init; }

    /// <summary>A header value by case-insensitive name (HTTP header names are case-insensitive), or null.</summary>
    public string? Header(string name) =>
        Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
}
