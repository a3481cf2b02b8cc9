using System.Net;
using System.Text.Json;
using Requesty.TestKit;

namespace Requesty.Alerts.Tests.Integration;

[Collection(AlertsServiceCollection.Name)]
public sealed class SpendApiTests(AlertsServiceFixture fixture)
{
    [Fact]
    public async Task Spend_requires_the_internal_token()
    {
        using var response = await fixture.Client.GetAsync($"v1/alerts/spend?org_id={Guid.NewGuid()}&month=2025-01");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Spend_rejects_a_wrong_internal_token()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v1/alerts/spend?org_id={Guid.NewGuid()}&month=2025-01");
        request.Headers.Authorization = new("Bearer", TestServers.InternalToken + "-wrong");
        using var response = await fixture.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Invalid_parameters_answer_field_level_problem_details()
    {
        using var request = fixture.Authorized(HttpMethod.Get, "v1/alerts/spend?org_id=not-a-uuid&month=2025-13&scope=planet");
        using var response = await fixture.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var errors = problem.RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty("org_id", out _));
        Assert.True(errors.TryGetProperty("month", out _));
        Assert.True(errors.TryGetProperty("scope", out _));
    }

    [Fact]
    public async Task An_organization_without_requests_has_no_spend_rows()
    {
        var org = Guid.NewGuid();
        var spend = await fixture.GetSpendAsync(org, "2024-12");

        Assert.Equal(org, spend.OrgId);
        Assert.Equal("2024-12", spend.Month);
        Assert.Empty(spend.Rows);
    }

    [Fact]
    public async Task Readiness_covers_postgres_and_the_bus()
    {
        var (status, checks) = await fixture.Host.GetReadinessAsync();

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("postgres", checks);
        Assert.Contains(checks, name => name.Contains("masstransit", StringComparison.OrdinalIgnoreCase));
    }
}
