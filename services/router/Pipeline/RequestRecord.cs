using Requesty.Contracts.Events;
using Requesty.Contracts.Keys;

namespace Requesty.Router.Pipeline;

/// <summary>
/// What the pipeline learns about one request as it passes the stages; turned into the
/// RequestCompleted event when the response has been sent.
/// </summary>
public sealed class RequestRecord(Guid requestId, DateTime startedAt, ApiKeyContext caller, string endpoint)
{
    public Guid RequestId { get; } = requestId;
    public DateTime StartedAt { get; } = startedAt;
    public ApiKeyContext Caller { get; } = caller;
    public string Endpoint { get; } = endpoint;

    public string RequestedModel { get; set; } = "";
    public string? ServedModel { get; set; }
    public string? ServedProvider { get; set; }
    public bool Stream { get; set; }
    public int HttpStatus { get; set; } = 200;
    public string? ErrorKind { get; set; }
    public string? ErrorMessage { get; set; }
    public DateTime? FirstTokenAt { get; set; }
    public TokenUsage Usage { get; set; } = new();
    public decimal CostUsd { get; set; }
    /// <summary>What the provider charges for the usage (BYOK: the organisation pays it); null = same as <see cref="CostUsd"/>.</summary>
    public decimal? ProviderCostUsd { get; set; }
    public decimal CostWithoutCacheUsd { get; set; }
    public List<UpstreamAttempt> Attempts { get; } = [];
    public List<ToolOffered> ToolsOffered { get; } = [];
    public List<ToolCallMade> ToolCalls { get; } = [];
    public List<string> ToolResultIds { get; } = [];
    public RequestMetadata Metadata { get; set; } = RequestyExtension.None;
    public string? Region { get; set; }

    private Conversation? _conversation;
    private string? _answer;

    /// <summary>
    /// The conversation and answer the event's session hashes are made of. Only the event needs them, so they are
    /// hashed when the event is built, which the journal writer does off the request path.
    /// </summary>
    public void KeepForSessionHashes(Conversation conversation, string? answer)
    {
        _conversation = conversation;
        _answer = answer;
    }

    public void Fail(int status, string kind, string message)
    {
        HttpStatus = status;
        ErrorKind = kind;
        ErrorMessage = message;
    }

    public RequestCompleted ToEvent(DateTime completedAt) => new()
    {
        RequestId = RequestId,
        StartedAt = StartedAt,
        FirstTokenAt = FirstTokenAt,
        CompletedAt = completedAt,
        Caller = new RequestCaller
        {
            OrganizationId = Caller.OrganizationId,
            ApiKeyId = Caller.ApiKeyId,
            UserId = Caller.UserId,
            ServiceAccountId = Caller.ServiceAccountId,
            GroupIds = Caller.GroupIds,
            ProjectId = Caller.ProjectId,
        },
        Endpoint = Endpoint,
        RequestedModel = RequestedModel,
        ServedModel = ServedModel,
        ServedProvider = ServedProvider,
        PolicyName = RequestedModel.StartsWith("policy/", StringComparison.Ordinal) ? RequestedModel["policy/".Length..] : null,
        Attempts = Attempts,
        Stream = Stream,
        HttpStatus = HttpStatus,
        Status = HttpStatus < 400 ? "success" : "error",
        ErrorKind = ErrorKind,
        ErrorMessage = ErrorMessage,
        Usage = Usage,
        CostUsd = CostUsd,
        ProviderCostUsd = ProviderCostUsd ?? CostUsd,
        CostWithoutCacheUsd = CostWithoutCacheUsd,
        TimeToFirstTokenMs = FirstTokenAt is { } first ? Milliseconds(first - StartedAt) : null,
        LatencyMs = Milliseconds(completedAt - StartedAt),
        ToolsOffered = ToolsOffered,
        ToolCalls = ToolCalls,
        ToolResultIds = ToolResultIds,
        Metadata = Metadata,
        Region = Region,
        Session = HashSession(),
    };

    private SessionHashes HashSession()
    {
        if (_conversation is null) return new SessionHashes();
        try
        {
            return SessionHasher.Compute(_conversation, _answer);
        }
        catch (Exception)
        {
            // The journal writer builds the event: a request is billed even if its fingerprint cannot be made.
            return new SessionHashes();
        }
    }

    private static int Milliseconds(TimeSpan span) => (int)Math.Clamp(span.TotalMilliseconds, 0, int.MaxValue);
}
