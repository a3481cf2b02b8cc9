using System.ClientModel;
using System.ClientModel.Primitives;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OpenAI;
using OpenAI.Chat;
using Requesty.TestKit;

namespace Requesty.EndToEnd.Tests.Policies;

/// <summary>
/// A routing policy is data owned by management: created through /v1/manage/policies it serves OpenAI SDK
/// requests through the router as "policy/&lt;name&gt;", and an edit reaches the running router (policy change
/// event on the real RabbitMQ, no restart) so the next requests go to the new entry.
/// </summary>
[Collection(SuiteCollection.Name)]
public sealed class PolicyEditEndToEndTests(SuiteFixture suite)
{
    // The issue asks for "about a second"; the bound leaves room for a loaded test machine.
    private static readonly TimeSpan EditBound = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_policy_created_through_management_routes_and_an_edit_changes_the_served_model()
    {
        var name = $"e2e-switch-{Guid.NewGuid():N}"[..24];
        using var admin = suite.Client(suite.Management, suite.AdminKey);
        using (var created = await admin.PostAsJsonAsync("v1/manage/policies", Policy(name, "openai/gpt-4o-mini")))
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var chat = ChatClient(await CreateKeyAsync(admin), $"policy/{name}");

        // The creation reaches the router as an event; until then the policy is unknown (404).
        var first = await Eventually.GetAsync(async () =>
        {
            try
            {
                return await chat.CompleteChatAsync([new UserChatMessage("Which model serves this policy?")]);
            }
            catch (ClientResultException ex) when (ex.Status == 404)
            {
                return null;
            }
        }, TimeSpan.FromSeconds(30), "the router to learn the new policy");
        Assert.Equal("openai/gpt-4o-mini", Header(first!, "x-requesty-model"));
        Assert.Equal(name, Header(first!, "x-requesty-policy"));
        Assert.Equal("gpt-4o-mini", await LastUpstreamModelAsync());

        using (var edited = await admin.PutAsJsonAsync($"v1/manage/policies/{name}", Policy(name, "openai/gpt-4o")))
            Assert.Equal(HttpStatusCode.OK, edited.StatusCode);

        var clock = Stopwatch.StartNew();
        string served;
        do
        {
            var result = await chat.CompleteChatAsync([new UserChatMessage("And after the edit?")]);
            served = Header(result, "x-requesty-model");
            if (served == "openai/gpt-4o") break;
            await Task.Delay(50);
        }
        while (clock.Elapsed < EditBound);

        Assert.True(served == "openai/gpt-4o", $"still served by {served} {EditBound.TotalSeconds} s after the edit");
        Assert.Equal("gpt-4o", await LastUpstreamModelAsync());
    }

    private static object Policy(string name, string model) => new
    {
        name,
        type = "fallback",
        entries = new[] { new { model, retries = 0, weight = 1, key_source = "platform" } },
    };

    private static string Header(ClientResult result, string name) =>
        result.GetRawResponse().Headers.TryGetValue(name, out var value) ? value! : "";

    private async Task<string?> LastUpstreamModelAsync()
    {
        using var sim = suite.Simulator.CreateClient();
        var requests = JsonNode.Parse(await sim.GetStringAsync("__sim/requests?limit=1"))!.AsArray();
        return requests.Single()!["body"]?["model"]?.GetValue<string>();
    }

    private ChatClient ChatClient(string key, string model) => new(model, new ApiKeyCredential(key), new OpenAIClientOptions
    {
        Endpoint = new Uri(suite.Router.BaseAddress, "v1"),
        RetryPolicy = new ClientRetryPolicy(0),
    });

    private static async Task<string> CreateKeyAsync(HttpClient admin)
    {
        using var response = await admin.PostAsJsonAsync("v1/manage/apikey", new { name = "e2e-policy", permissions = new[] { "chat" } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["key"]!.GetValue<string>();
    }
}
