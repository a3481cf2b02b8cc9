using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Npgsql;
using OpenAI;
using OpenAI.Chat;
using Requesty.TestKit;

namespace Requesty.EndToEnd.Tests;

/// <summary>
/// The foundation's promise: a key created through management serves OpenAI SDK requests through
/// the router, and the resulting RequestCompleted reaches every consumer.
/// </summary>
[Collection(SuiteCollection.Name)]
public sealed class OneRequestEndToEndTests(SuiteFixture suite)
{
    [Fact]
    public async Task A_key_from_management_serves_a_chat_completion_that_every_consumer_records()
    {
        var (keyId, key) = await CreateKeyAsync("e2e-chat");

        var result = await ChatClient(key).CompleteChatAsync([new UserChatMessage("Hello through the whole suite")]);

        Assert.Contains("simulator", result.Value.Content[0].Text, StringComparison.OrdinalIgnoreCase);
        Assert.True(result.GetRawResponse().Headers.TryGetValue("x-request-id", out var requestId));
        var cost = await AnalyticsCostAsync(requestId!);
        Assert.True(cost > 0m);
        Assert.Equal(1, await ClickHouseRowCountAsync(requestId!));
        Assert.Equal(cost, await ManagementSpendAsync(keyId, cost));
        await AlertsSpendAsync(cost);
        Assert.True(await McpSawRequestAsync(requestId!));
    }

    [Fact]
    public async Task A_streamed_chat_completion_arrives_whole_and_is_billed()
    {
        var (keyId, key) = await CreateKeyAsync("e2e-stream");

        var text = new StringBuilder();
        await foreach (var update in ChatClient(key).CompleteChatStreamingAsync([new UserChatMessage("Stream through the suite")]))
        {
            foreach (var part in update.ContentUpdate) text.Append(part.Text);
        }

        Assert.Contains("simulator", text.ToString(), StringComparison.OrdinalIgnoreCase);
        var spend = await Eventually.GetAsync(async () =>
        {
            var value = await KeySpendAsync(keyId);
            return value > 0m ? (decimal?)value : null;
        }, TimeSpan.FromSeconds(30), "streamed request billed in management");
        Assert.True(spend > 0m);
    }

    [Fact]
    public async Task Feedback_sent_twice_is_merged_into_the_request_in_analytics()
    {
        var (_, key) = await CreateKeyAsync("e2e-feedback");
        var result = await ChatClient(key).CompleteChatAsync([new UserChatMessage("Was this helpful?")]);
        var requestId = result.Value.Id;
        await AnalyticsCostAsync(requestId);
        using var router = suite.Client(suite.Router, key);

        Assert.Equal(HttpStatusCode.OK, (await router.PostAsJsonAsync($"feedback/{requestId}", new { data = new { rating = 5, comment = "great" } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await router.PostAsJsonAsync($"feedback/{requestId}", new { data = new { rating = 2 } })).StatusCode);

        using var analytics = suite.Client(suite.Analytics, TestServers.InternalToken);
        var feedback = await Eventually.GetAsync(async () =>
        {
            var row = JsonNode.Parse(await analytics.GetStringAsync($"v1/analytics/requests/{requestId}"))!;
            var merged = row["feedback"];
            return merged?["rating"]?.GetValue<int>() == 2 ? merged : null;
        }, TimeSpan.FromSeconds(30), "merged feedback in analytics");
        Assert.Equal("great", feedback["comment"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_deleted_key_is_refused_by_the_router_within_seconds()
    {
        var (keyId, key) = await CreateKeyAsync("e2e-revoke");
        using var router = suite.Client(suite.Router, key);
        using var before = await router.PostAsJsonAsync("v1/chat/completions", Chat("before delete"));
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        using var admin = suite.Client(suite.Management, suite.AdminKey);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"v1/manage/apikey/{keyId}")).StatusCode);

        var refused = await Eventually.GetAsync(async () =>
        {
            using var response = await router.PostAsJsonAsync("v1/chat/completions", Chat("after delete"));
            return response.StatusCode == HttpStatusCode.Unauthorized ? "refused" : null;
        }, TimeSpan.FromSeconds(5), "deleted key refused");
        Assert.Equal("refused", refused);
    }

    private ChatClient ChatClient(string key) => new("openai/gpt-4o-mini", new ApiKeyCredential(key), new OpenAIClientOptions
    {
        Endpoint = new Uri(suite.Router.BaseAddress, "v1"),
        RetryPolicy = new ClientRetryPolicy(0),
    });

    private static object Chat(string text) => new { model = "openai/gpt-4o-mini", messages = new[] { new { role = "user", content = text } } };

    private async Task<(string Id, string Key)> CreateKeyAsync(string name)
    {
        using var admin = suite.Client(suite.Management, suite.AdminKey);
        using var response = await admin.PostAsJsonAsync("v1/manage/apikey", new { name, permissions = new[] { "chat" } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return (created["id"]!.GetValue<string>(), created["key"]!.GetValue<string>());
    }

    private async Task<decimal> AnalyticsCostAsync(string requestId)
    {
        using var analytics = suite.Client(suite.Analytics, TestServers.InternalToken);
        var row = await Eventually.GetAsync(async () =>
        {
            using var response = await analytics.GetAsync($"v1/analytics/requests/{requestId}");
            return response.IsSuccessStatusCode ? JsonNode.Parse(await response.Content.ReadAsStringAsync()) : null;
        }, TimeSpan.FromSeconds(30), "request row in analytics");
        Assert.Equal("openai/gpt-4o-mini", row["served_model"]!.GetValue<string>());
        return row["cost_usd"]!.GetValue<decimal>();
    }

    private static async Task<long> ClickHouseRowCountAsync(string requestId)
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Add("X-ClickHouse-User", TestServers.ClickHouseUser);
        http.DefaultRequestHeaders.Add("X-ClickHouse-Key", TestServers.ClickHousePassword);
        var query = $"SELECT count() FROM requests FINAL WHERE request_id = '{Guid.Parse(requestId)}'";
        var url = $"{TestServers.ClickHouseUrl}?database={TestServers.ClickHouseDatabase}&query={Uri.EscapeDataString(query)}";
        return long.Parse((await http.GetStringAsync(url)).Trim());
    }

    private async Task<decimal> KeySpendAsync(string keyId)
    {
        using var admin = suite.Client(suite.Management, suite.AdminKey);
        var details = JsonNode.Parse(await admin.GetStringAsync($"v1/manage/apikey/{keyId}"))!;
        return details["spend_this_month"]!.GetValue<decimal>();
    }

    private async Task<decimal> ManagementSpendAsync(string keyId, decimal expected) =>
        await Eventually.GetAsync(async () =>
        {
            var spend = await KeySpendAsync(keyId);
            return spend == expected ? (decimal?)spend : null;
        }, TimeSpan.FromSeconds(30), "spend recorded by management") ?? 0m;

    private async Task AlertsSpendAsync(decimal atLeast)
    {
        using var management = suite.Client(suite.Management, suite.AdminKey);
        var orgId = JsonNode.Parse(await management.GetStringAsync("v1/manage/org"))!["id"]!.GetValue<string>();
        using var alerts = suite.Client(suite.Alerts, TestServers.InternalToken);
        await Eventually.GetAsync(async () =>
        {
            var spend = JsonNode.Parse(await alerts.GetStringAsync($"v1/alerts/spend?org_id={orgId}"))!;
            var organization = spend["rows"]!.AsArray().FirstOrDefault(r => r!["scope"]!.GetValue<string>() == "organization");
            return organization is not null && organization["spend_usd"]!.GetValue<decimal>() >= atLeast ? "ok" : null;
        }, TimeSpan.FromSeconds(30), "spend accumulated by alerts");
    }

    private static async Task<bool> McpSawRequestAsync(string requestId)
    {
        await using var dataSource = NpgsqlDataSource.Create(TestServers.Postgres);
        return await Eventually.GetAsync(async () =>
        {
            await using var command = dataSource.CreateCommand("SELECT count(*) FROM mcp.processed_requests WHERE request_id = $1");
            command.Parameters.AddWithValue(Guid.Parse(requestId));
            return (long)(await command.ExecuteScalarAsync())! == 1 ? (bool?)true : null;
        }, TimeSpan.FromSeconds(30), "request recorded by the MCP gateway") ?? false;
    }
}
