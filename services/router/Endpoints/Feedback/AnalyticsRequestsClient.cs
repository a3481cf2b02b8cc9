using System.Net;
using System.Net.Http.Headers;

namespace Requesty.Router.Endpoints.Feedback;

/// <summary>Asks analytics whether a request (older than the router's memory) belongs to an organisation.</summary>
public sealed class AnalyticsRequestsClient(HttpClient http)
{
    public async Task<bool> BelongsToAsync(Guid requestId, Guid organizationId, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"v1/analytics/requests/{requestId}?org_id={organizationId}", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return false;
        response.EnsureSuccessStatusCode();
        return true;
    }

    public static void Configure(HttpClient http, IConfiguration configuration)
    {
        var url = configuration["Analytics:Url"] ?? "http://127.0.0.1:5082";
        http.BaseAddress = new Uri(url.EndsWith('/') ? url : url + "/");
        http.Timeout = TimeSpan.FromSeconds(10);
        if (configuration["Internal:Token"] is { Length: > 0 } token)
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }
}
