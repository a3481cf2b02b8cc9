using System.Text.Json.Serialization;

namespace Requesty.Analytics.Tests.Support;

public sealed record CountResult([property: JsonPropertyName("count")] ulong Count);

public sealed record ScratchRow(
    [property: JsonPropertyName("id")] Guid Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("amount")] decimal Amount,
    [property: JsonPropertyName("at")] string At,
    [property: JsonPropertyName("labels")] List<string> Labels);

public sealed record NameRow([property: JsonPropertyName("name")] string Name);

[JsonSerializable(typeof(CountResult))]
[JsonSerializable(typeof(ScratchRow))]
[JsonSerializable(typeof(NameRow))]
public sealed partial class TestJsonContext : JsonSerializerContext;
