namespace Requesty.Contracts.Events;

/// <summary>
/// A client added feedback to one of its requests (POST /feedback/{requestId}). Consumers merge
/// <see cref="Data"/> into the request's feedback: later keys overwrite earlier ones. Delivery is
/// at-least-once; merging the same data twice changes nothing.
/// </summary>
public sealed record FeedbackSubmitted
{
    public required Guid RequestId { get; init; }
    public required Guid OrganizationId { get; init; }
    /// <summary>API key that submitted the feedback.</summary>
    public required Guid ApiKeyId { get; init; }
    /// <summary>The feedback object as JSON text (an object; its keys are merged).</summary>
    public required string Data { get; init; }
    public required DateTime SubmittedAt { get; init; }
}
