namespace Requesty.Management.Application.Usage;

/// <summary>A key's usage for its details page: never fails the page - an analytics outage becomes an error text.</summary>
public sealed class KeyUsageService(AnalyticsUsageClient client, ILogger<KeyUsageService> logger)
{
    public async Task<(KeyUsageResponse? Usage, string? Error)> GetAsync(
        Guid organizationId, Guid apiKeyId, UsageQuery query, CancellationToken cancellationToken)
    {
        try
        {
            return (await client.GetAsync(organizationId, apiKeyId, query, cancellationToken), null);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested
            && ex is HttpRequestException or TaskCanceledException or AnalyticsUnavailableException or System.Text.Json.JsonException)
        {
            logger.LogWarning(ex, "Usage of API key {ApiKeyId} is unavailable", apiKeyId);
            var reason = ex switch
            {
                TaskCanceledException => "analytics did not answer in time",
                HttpRequestException http => $"analytics is unreachable ({http.HttpRequestError})",
                System.Text.Json.JsonException => "analytics answered an unreadable body",
                _ => ex.Message,
            };
            return (null, $"Usage is temporarily unavailable: {reason}.");
        }
    }
}
