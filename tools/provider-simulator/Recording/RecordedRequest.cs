using System.Text.Json.Nodes;

namespace Requesty.ProviderSimulator.Recording;

/// <summary>One request as the simulator received it (headers unredacted: this is a test double).</summary>
public sealed record RecordedRequest(
    DateTimeOffset ReceivedAt,
    string Method,
    string Path,
    string Query,
    IReadOnlyDictionary<string, string> Headers,
    JsonNode? Body);
