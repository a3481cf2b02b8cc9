using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Requesty.Analytics;
using Requesty.Analytics.Application.Ingestion;
using Requesty.Contracts.Events;
using Requesty.Management.Domain.ApiKeys;
using Requesty.Management.Tests.Support;
using Requesty.TestKit;

namespace Requesty.Management.Tests.Usage;

/// <summary>A real analytics service in-process (real ClickHouse) and a management service pointed at it.</summary>
public sealed class AnalyticsAndManagementFixture : IAsyncLifetime
{
    public string AdminKey { get; } = ApiKeySecret.Generate();
    public ServiceHost Analytics { get; private set; } = null!;
    public ServiceHost Management { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Analytics = await ServiceWithOwnQueues.StartAsync(AnalyticsApp.Build, ServiceWithOwnQueues.NewQueuePrefix());
        Management = await ServiceHost.StartAsync(ManagementApp.Build, TestServers.ServiceArgs(
            $"--Bootstrap:AdminKey={AdminKey}",
            $"--Bootstrap:OrganizationName=Usage org {Guid.NewGuid().ToString("N")[..8]}",
            $"--RabbitMq:QueuePrefix=test-{Guid.NewGuid():N}-",
            "--RabbitMq:TemporaryQueues=true",
            $"--Analytics:Url={Analytics.BaseAddress}"));
    }

    public HttpClient Client()
    {
        var client = Management.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return client;
    }

    public Task WriteAsync(params RequestCompleted[] requests) =>
        Analytics.Services.GetRequiredService<IRequestAnalyticsWriter>().WriteAsync(requests, CancellationToken.None);

    public async Task DisposeAsync()
    {
        await Management.DisposeAsync();
        await Analytics.DisposeAsync();
    }
}

public sealed class KeyUsageTests(AnalyticsAndManagementFixture fixture) : IClassFixture<AnalyticsAndManagementFixture>
{
    private const string June = "start=2025-06-01&end=2025-06-30";

    [Fact]
    public async Task Key_details_carry_usage_per_day_from_analytics()
    {
        var (client, keyId) = await KeyWithTrafficAsync();

        var body = await (await client.GetAsync($"v1/manage/apikey/{keyId}?{June}")).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Null(body["usage_error"]);
        var usage = body["usage"]!;
        Assert.Equal(new DateTime(2025, 6, 1, 0, 0, 0, DateTimeKind.Utc), usage["start"]!.GetValue<DateTime>());
        Assert.Equal(new DateTime(2025, 7, 1, 0, 0, 0, DateTimeKind.Utc), usage["end"]!.GetValue<DateTime>());
        Assert.Equal("day", usage["period"]!.GetValue<string>());
        AssertFigures(usage["totals"]!, 1.75m, 3, 375);
        var periods = usage["periods"]!.AsArray();
        Assert.Equal([new DateTime(2025, 6, 3, 0, 0, 0, DateTimeKind.Utc), new DateTime(2025, 6, 10, 0, 0, 0, DateTimeKind.Utc)],
            periods.Select(p => p!["start"]!.GetValue<DateTime>().ToUniversalTime()));
        AssertFigures(periods[0]!, 0.75m, 2, 135);
        AssertFigures(periods[1]!, 1.00m, 1, 240);
        Assert.Null(usage["groups"]);
        Assert.Equal("travelling key", body["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Usage_groups_by_model_or_a_metadata_field_per_week()
    {
        var (client, keyId) = await KeyWithTrafficAsync();

        var byModel = (await (await client.GetAsync($"v1/manage/apikey/{keyId}?{June}&group_by=model")).ReadJsonAsync(HttpStatusCode.OK))["usage"]!;
        var models = byModel["groups"]!.AsArray().ToDictionary(g => g!["group"]!.GetValue<string>());
        Assert.Equal(2, models.Count);
        AssertFigures(models["openai/gpt-4o"]!["totals"]!, 1.50m, 2, 360);
        AssertFigures(models["anthropic/claude-sonnet-4-5"]!["totals"]!, 0.25m, 1, 15);
        AssertFigures(byModel["totals"]!, 1.75m, 3, 375);
        Assert.Equal("model", byModel["group_by"]!.GetValue<string>());

        var byFeature = (await (await client.GetAsync($"v1/manage/apikey/{keyId}?{June}&group_by=feature&period=week")).ReadJsonAsync(HttpStatusCode.OK))["usage"]!;
        var features = byFeature["groups"]!.AsArray().ToDictionary(g => g!["group"]!.GetValue<string>());
        AssertFigures(features["chat"]!["totals"]!, 1.50m, 2, 360);
        AssertFigures(features["search"]!["totals"]!, 0.25m, 1, 15);
        // Weeks start on Monday: June 3 is in the week of June 2, June 10 in the week of June 9.
        var weeks = byFeature["periods"]!.AsArray();
        Assert.Equal([new DateTime(2025, 6, 2, 0, 0, 0, DateTimeKind.Utc), new DateTime(2025, 6, 9, 0, 0, 0, DateTimeKind.Utc)],
            weeks.Select(p => p!["start"]!.GetValue<DateTime>().ToUniversalTime()));
        AssertFigures(weeks[0]!, 0.75m, 2, 135);
    }

    [Fact]
    public async Task Usage_defaults_to_the_current_month()
    {
        var (client, keyId) = await KeyWithTrafficAsync();
        var now = DateTime.UtcNow;
        await fixture.WriteAsync(Request(await OrganizationAsync(client), keyId, now.AddMinutes(-1), "openai/gpt-4o", 0.125m, 7, 3, "chat"));

        var usage = (await (await client.GetAsync($"v1/manage/apikey/{keyId}")).ReadJsonAsync(HttpStatusCode.OK))["usage"]!;

        var monthStart = new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        Assert.Equal(monthStart, usage["start"]!.GetValue<DateTime>());
        Assert.Equal(monthStart.AddMonths(1), usage["end"]!.GetValue<DateTime>());
        AssertFigures(usage["totals"]!, 0.125m, 1, 10);
    }

    [Theory]
    [InlineData("period=fortnight", "period")]
    [InlineData("start=2025-06-30&end=2025-06-01", "end")]
    [InlineData("start=soon", "start")]
    [InlineData("start=2020-01-01&end=2025-01-01&period=hour", "period")]
    [InlineData("group_by=a%20b", "group_by")]
    public async Task Invalid_usage_parameters_are_400(string query, string field)
    {
        using var client = fixture.Client();
        var id = (await client.CreateKeyAsync(new { name = "bad query" }))["id"]!.GetValue<Guid>();
        var problem = await (await client.GetAsync($"v1/manage/apikey/{id}?{query}")).ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]![field]);
    }

    [Fact]
    public async Task With_analytics_down_the_key_still_answers_with_a_usage_error()
    {
        var adminKey = ApiKeySecret.Generate();
        await using var management = await ServiceHost.StartAsync(ManagementApp.Build, TestServers.ServiceArgs(
            $"--Bootstrap:AdminKey={adminKey}",
            $"--Bootstrap:OrganizationName=No analytics {Guid.NewGuid().ToString("N")[..8]}",
            $"--RabbitMq:QueuePrefix=test-{Guid.NewGuid():N}-",
            "--RabbitMq:TemporaryQueues=true",
            $"--Analytics:Url=http://127.0.0.1:{ClosedPort()}"));
        using var client = management.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        var id = (await client.CreateKeyAsync(new { name = "orphan", monthly_limit = 4 }))["id"]!.GetValue<Guid>();

        var body = await (await client.GetAsync($"v1/manage/apikey/{id}?{June}")).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(4m, body["monthly_limit"]!.GetValue<decimal>());
        Assert.True(body.AsObject().ContainsKey("usage"));
        Assert.Null(body["usage"]);
        Assert.Contains("unavailable", body["usage_error"]!.GetValue<string>());
    }

    /// <summary>A new key with three June requests (two models, two features), plus noise that must not count.</summary>
    private async Task<(HttpClient Client, Guid KeyId)> KeyWithTrafficAsync()
    {
        var client = fixture.Client();
        var keyId = (await client.CreateKeyAsync(new { name = "travelling key" }))["id"]!.GetValue<Guid>();
        var org = await OrganizationAsync(client);
        await fixture.WriteAsync(
            Request(org, keyId, new DateTime(2025, 6, 3, 10, 0, 0, DateTimeKind.Utc), "openai/gpt-4o", 0.50m, 100, 20, "chat"),
            Request(org, keyId, new DateTime(2025, 6, 3, 15, 0, 0, DateTimeKind.Utc), "anthropic/claude-sonnet-4-5", 0.25m, 10, 5, "search"),
            Request(org, keyId, new DateTime(2025, 6, 10, 9, 0, 0, DateTimeKind.Utc), "openai/gpt-4o", 1.00m, 200, 40, "chat"),
            Request(org, Guid.NewGuid(), new DateTime(2025, 6, 3, 11, 0, 0, DateTimeKind.Utc), "openai/gpt-4o", 7m, 1, 1, "chat"),
            Request(org, keyId, new DateTime(2025, 7, 2, 9, 0, 0, DateTimeKind.Utc), "openai/gpt-4o", 9m, 1, 1, "chat"));
        return (client, keyId);
    }

    private static RequestCompleted Request(Guid org, Guid keyId, DateTime at, string model, decimal cost, int input, int output, string feature) =>
        RequestCompletedSamples.Create(org, cost, at, keyId) with
        {
            ServedModel = model,
            ServedProvider = model.Split('/')[0],
            Usage = new TokenUsage { InputTokens = input, OutputTokens = output },
            Metadata = new RequestMetadata { Extra = new Dictionary<string, string> { ["feature"] = feature } },
        };

    private static async Task<Guid> OrganizationAsync(HttpClient client) =>
        (await (await client.GetAsync("v1/manage/org")).ReadJsonAsync(HttpStatusCode.OK))["id"]!.GetValue<Guid>();

    private static void AssertFigures(JsonNode figures, decimal cost, int requests, int tokens)
    {
        Assert.Equal(cost, figures["cost"]!.GetValue<decimal>());
        Assert.Equal(requests, figures["requests"]!.GetValue<int>());
        Assert.Equal(tokens, figures["tokens"]!.GetValue<int>());
    }

    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
