using Requesty.Contracts.Events;

namespace Requesty.Analytics.Application.Ingestion;

/// <summary>Stores completed requests; writing the same request again must be harmless.</summary>
public interface IRequestAnalyticsWriter
{
    Task WriteAsync(IReadOnlyList<RequestCompleted> events, CancellationToken cancellationToken);
}
