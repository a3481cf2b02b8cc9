using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using OpenAI;
using OpenAI.Chat;
using Requesty.Contracts.Keys;
using Requesty.ProviderSimulator;
using Requesty.Router.Keys;
using Requesty.TestKit;

namespace Requesty.Router.Tests.Integration;

/// <summary>
/// Vertex with a configured service account (Providers:vertex:ServiceAccountJson, BaseUrl pointed at the simulator):
/// the simulator verifies the JWT assertion's signature against the account's public key.
/// </summary>
public sealed class VertexServiceAccountTests : IAsyncLifetime
{
    private readonly RSA _accountKey = RSA.Create(2048);
    private readonly string _apiKey = "rqsty-sk-vertex-" + Guid.NewGuid().ToString("N");
    private ServiceHost _simulator = null!;
    private ServiceHost _management = null!;
    private readonly TemporaryDirectory _journals = new("router-journal-");

    public async Task InitializeAsync()
    {
        _simulator = await ServiceHost.StartAsync(SimulatorApp.Build, $"--Simulator:VertexPublicKeyPem={_accountKey.ExportSubjectPublicKeyInfoPem()}");
        var key = new ApiKeyContext
        {
            KeyHash = KeyHasher.Hash(_apiKey),
            ApiKeyId = Guid.NewGuid(),
            OrganizationId = Guid.NewGuid(),
            UserId = Guid.NewGuid(),
            Permissions = ["chat"],
            Version = 1,
        };
        _management = await ServiceHost.StartAsync(StubManagement.Build([key], TestServers.InternalToken));
    }

    public async Task DisposeAsync()
    {
        await _management.DisposeAsync();
        await _simulator.DisposeAsync();
        _accountKey.Dispose();
        _journals.Dispose();
    }

    private Task<ServiceHost> StartRouterAsync(RSA signingKey) => ServiceHost.StartAsync(RouterApp.Build,
    [
        .. TestServers.ServiceArgs(),
        $"--Management:Url={_management.BaseAddress}",
        $"--Analytics:Url={_management.BaseAddress}",
        $"--Journal:Directory={Path.Combine(_journals.Path, Guid.NewGuid().ToString("N"))}",
        $"--Providers:vertex:ServiceAccountJson={AccountJson(signingKey)}",
        $"--Providers:vertex:BaseUrl={_simulator.BaseAddress}",
    ]);

    private string AccountJson(RSA key) => new JsonObject
    {
        ["type"] = "service_account",
        ["project_id"] = "acme-prod",
        ["private_key_id"] = "kid-1",
        ["private_key"] = key.ExportPkcs8PrivateKeyPem(),
        ["client_email"] = "router@acme-prod.iam.gserviceaccount.com",
        ["token_uri"] = new Uri(_simulator.BaseAddress, "oauth2/token").ToString(),
    }.ToJsonString();

    private ChatClient Chat(ServiceHost router, string model) => new(model, new ApiKeyCredential(_apiKey),
        new OpenAIClientOptions { Endpoint = new Uri(router.BaseAddress, "v1"), RetryPolicy = new ClientRetryPolicy(0) });

    [Fact]
    public async Task A_correctly_signed_account_gets_a_token_and_both_publishers_answer_in_its_project()
    {
        await using var router = await StartRouterAsync(_accountKey);

        var gemini = await Chat(router, "vertex/gemini-2.5-pro").CompleteChatAsync([new UserChatMessage("Hello Gemini on Vertex")]);
        var claude = await Chat(router, "vertex/claude-sonnet-4-5@europe-west1").CompleteChatAsync([new UserChatMessage("Hello Claude on Vertex")]);

        Assert.Contains("gemini-2.5-pro", gemini.Value.Content[0].Text);
        Assert.Contains("claude-sonnet-4-5@20250929", claude.Value.Content[0].Text);
        using var sim = _simulator.CreateClient();
        var paths = JsonNode.Parse(await sim.GetStringAsync("__sim/requests?limit=100"))!.AsArray().Select(r => r!["path"]!.GetValue<string>()).ToList();
        Assert.Equal(
        [
            "/oauth2/token",
            "/v1/projects/acme-prod/locations/us-central1/publishers/google/models/gemini-2.5-pro:generateContent",
            "/v1/projects/acme-prod/locations/europe-west1/publishers/anthropic/models/claude-sonnet-4-5@20250929:rawPredict",
        ], paths);
    }

    [Fact]
    public async Task An_account_whose_key_does_not_match_is_refused_and_the_client_gets_a_502_without_secrets()
    {
        using var wrongKey = RSA.Create(2048);
        await using var router = await StartRouterAsync(wrongKey);
        using var http = router.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", _apiKey);

        using var response = await http.PostAsJsonAsync("v1/chat/completions", new { model = "vertex/gemini-2.5-flash", messages = new[] { new { role = "user", content = "hi" } } });

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Contains("Invalid JWT Signature", error["message"]!.GetValue<string>());
        Assert.DoesNotContain("PRIVATE KEY", error.ToJsonString());
    }
}
