using System.Text.Json.Serialization;

namespace Requesty.Analytics.Application.Feedback;

/// <summary>One version of a request's merged feedback, as stored in ClickHouse.</summary>
public sealed record FeedbackRow
{
    public required Guid RequestId { get; init; }
    public required Guid OrganizationId { get; init; }
    /// <summary>The merged feedback object as JSON text.</summary>
    public required string Data { get; init; }
    public required string UpdatedAt { get; init; }
    public required ulong Version { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(FeedbackRow))]
internal sealed partial class FeedbackJsonContext : JsonSerializerContext;
