using System.Net.Http.Json;
using System.Text.Json;

namespace Requesty.Alerts.Tests.Integration;

/// <summary>Reads GET /v1/alerts/spend the way an external caller would (snake_case JSON).</summary>
public static class SpendApiClient
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public static async Task<SpendPayload> GetSpendAsync(this AlertsServiceFixture fixture, Guid orgId, string month)
    {
        using var request = fixture.Authorized(HttpMethod.Get, $"v1/alerts/spend?org_id={orgId}&month={month}");
        using var response = await fixture.Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<SpendPayload>(Json))!;
    }

    /// <summary>Polls until the predicate holds for the month's spend rows.</summary>
    public static Task<SpendPayload> WaitForSpendAsync(
        this AlertsServiceFixture fixture, Guid orgId, string month, Func<SpendPayload, bool> predicate, string because) =>
        Requesty.TestKit.Eventually.GetAsync(async () =>
        {
            var payload = await fixture.GetSpendAsync(orgId, month);
            return predicate(payload) ? payload : null;
        }, TimeSpan.FromSeconds(30), because);
}

public sealed record SpendPayload(Guid OrgId, string Month, List<SpendRowPayload> Rows)
{
    public SpendRowPayload? Find(string scope, Guid scopeId, Guid? groupId = null) =>
        Rows.SingleOrDefault(r => r.Scope == scope && r.ScopeId == scopeId && r.GroupId == groupId);
}

public sealed record SpendRowPayload(string Scope, Guid ScopeId, Guid? GroupId, decimal SpendUsd, long RequestCount, DateTime UpdatedAt);
