using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Requesty.Analytics.Tests.Support;
using Requesty.TestKit;

namespace Requesty.Analytics.Tests.Integration;

[Collection(AnalyticsServiceCollection.Name)]
public class AnalyticsApiTests(AnalyticsServiceFixture service)
{
    [Fact]
    public async Task Get_request_returns_the_stored_row()
    {
        var org = Guid.NewGuid();
        var e = Events.Completed(org);
        await service.Writer.WriteAsync([e], CancellationToken.None);
        using var api = service.CreateApiClient();

        var body = await api.GetFromJsonAsync<JsonElement>($"v1/analytics/requests/{e.RequestId}");

        Assert.Equal(e.RequestId, body.GetProperty("request_id").GetGuid());
        Assert.Equal(org, body.GetProperty("organization_id").GetGuid());
        Assert.Equal("anthropic/claude-sonnet-4-5", body.GetProperty("served_model").GetString());
        Assert.Equal(0.0012345m, body.GetProperty("cost_usd").GetDecimal());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("project_id").ValueKind);
        Assert.Equal(new DateTime(2025, 3, 14, 15, 9, 26, DateTimeKind.Utc), body.GetProperty("started_at").GetDateTime().ToUniversalTime());
        Assert.Equal("premium", body.GetProperty("metadata").GetProperty("tier").GetString());
        Assert.Equal(2, body.GetProperty("attempts").GetArrayLength());
        Assert.Equal("rate_limit", body.GetProperty("attempts")[0].GetProperty("error_kind").GetString());
        Assert.Equal(180, body.GetProperty("ttft_ms").GetInt32());
        Assert.True(body.GetProperty("stream").GetBoolean());

        using var scoped = await api.GetAsync($"v1/analytics/requests/{e.RequestId}?org_id={Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, scoped.StatusCode);
    }

    [Fact]
    public async Task Get_unknown_request_is_404_problem()
    {
        using var api = service.CreateApiClient();
        using var response = await api.GetAsync($"v1/analytics/requests/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-token")]
    public async Task Requests_without_the_internal_token_are_401(string? token)
    {
        using var api = service.CreateApiClient(token);
        using var response = await api.GetAsync($"v1/analytics/requests/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Summary_counts_only_requests_started_in_the_range()
    {
        var org = Guid.NewGuid();
        var day = new DateTime(2025, 5, 10, 0, 0, 0, DateTimeKind.Utc);
        await service.Writer.WriteAsync(
        [
            Events.Completed(org, startedAt: day.AddSeconds(-1), cost: 100m),
            Events.Completed(org, startedAt: day, cost: 0.000000001m),
            Events.Completed(org, startedAt: day.AddHours(23), cost: 1.5m),
            Events.Completed(org, startedAt: day.AddDays(1), cost: 100m),
            Events.Completed(Guid.NewGuid(), startedAt: day.AddHours(1), cost: 100m),
        ], CancellationToken.None);
        using var api = service.CreateApiClient();

        var body = await api.GetFromJsonAsync<JsonElement>($"v1/analytics/summary?org_id={org}&from=2025-05-10T00:00:00Z&to=2025-05-11");

        Assert.Equal(2, body.GetProperty("requests").GetInt32());
        Assert.Equal(1.500000001m, body.GetProperty("cost_usd").GetDecimal());
        Assert.Equal(240, body.GetProperty("input_tokens").GetInt32());
        Assert.Equal(90, body.GetProperty("output_tokens").GetInt32());
    }

    [Fact]
    public async Task Summary_of_an_empty_range_is_zero()
    {
        using var api = service.CreateApiClient();
        var body = await api.GetFromJsonAsync<JsonElement>($"v1/analytics/summary?org_id={Guid.NewGuid()}&from=2025-01-01&to=2025-02-01");
        Assert.Equal(0, body.GetProperty("requests").GetInt32());
        Assert.Equal(0m, body.GetProperty("cost_usd").GetDecimal());
    }

    [Fact]
    public async Task Summary_validates_its_parameters_field_by_field()
    {
        using var api = service.CreateApiClient();
        using var response = await api.GetAsync("v1/analytics/summary?org_id=nope&from=yesterday&to=2025-01-01");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("org_id", out _));
        Assert.True(errors.TryGetProperty("from", out _));
        Assert.False(errors.TryGetProperty("to", out _));

        using var reversed = await api.GetAsync($"v1/analytics/summary?org_id={Guid.NewGuid()}&from=2025-02-01&to=2025-01-01");
        Assert.Equal(HttpStatusCode.BadRequest, reversed.StatusCode);
        Assert.True((await reversed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("to", out _));
    }

    [Fact]
    public async Task Readiness_reports_clickhouse_and_the_bus()
    {
        using var client = service.Host.CreateClient();
        var body = await Eventually.GetAsync(async () =>
        {
            using var response = await client.GetAsync("readyz");
            return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonElement>() : (JsonElement?)null;
        }, because: "ready");
        var checks = body!.Value.GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("clickhouse").GetProperty("status").GetString());
        Assert.Contains(checks.EnumerateObject(), c => c.Name.Contains("masstransit", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Swagger_documents_the_read_api()
    {
        using var client = service.Host.CreateClient();
        var paths = await OpenApiDocument.PathsAsync(client);
        Assert.True(paths.ContainsKey("/v1/analytics/requests/{requestId}"));
        Assert.True(paths.ContainsKey("/v1/analytics/summary"));
        foreach (var route in new[] { "/v1/analytics/query", "/v1/analytics/general", "/v1/analytics/savings", "/v1/analytics/tools", "/v1/analytics/sessions", "/v1/analytics/sessions/{id}", "/v1/analytics/apikey/{id}/usage" })
            Assert.True(paths.ContainsKey(route), $"{route} is not documented");
    }
}
