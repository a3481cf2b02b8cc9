using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Requesty.ProviderSimulator.Tests.Support;
using Requesty.TestKit;

namespace Requesty.ProviderSimulator.Tests.Vertex;

/// <summary>
/// The simulated Google token endpoint (JWT bearer grant, signature checked against the configured public key) and the
/// Vertex publisher-model routes for Gemini and Claude.
/// </summary>
public sealed class VertexWireTests : IAsyncLifetime
{
    private readonly RSA _key = RSA.Create(2048);
    private ServiceHost _simulator = null!;

    public async Task InitializeAsync() =>
        _simulator = await ServiceHost.StartAsync(SimulatorApp.Build, $"--Simulator:VertexPublicKeyPem={_key.ExportSubjectPublicKeyInfoPem()}");

    public async Task DisposeAsync()
    {
        await _simulator.DisposeAsync();
        _key.Dispose();
    }

    private string TokenUrl => new Uri(_simulator.BaseAddress, "oauth2/token").ToString();

    private static string Part(JsonObject json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json.ToJsonString()));

    private string Assertion(RSA signer, string? audience = null, long lifetimeSeconds = 3600, string scope = "https://www.googleapis.com/auth/cloud-platform")
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var input = Part(new JsonObject { ["alg"] = "RS256", ["typ"] = "JWT", ["kid"] = "k1" }) + "." + Part(new JsonObject
        {
            ["iss"] = "router@project.iam.gserviceaccount.com",
            ["scope"] = scope,
            ["aud"] = audience ?? TokenUrl,
            ["iat"] = now,
            ["exp"] = now + lifetimeSeconds,
        });
        return input + "." + Base64Url.EncodeToString(signer.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    private async Task<HttpResponseMessage> ExchangeAsync(string assertion, string grantType = "urn:ietf:params:oauth:grant-type:jwt-bearer")
    {
        using var client = _simulator.CreateClient();
        return await client.PostAsync("oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = grantType, ["assertion"] = assertion }));
    }

    private async Task<string> AccessTokenAsync()
    {
        var response = await ExchangeAsync(Assertion(_key));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("Bearer", body["token_type"]!.GetValue<string>());
        Assert.True(body["expires_in"]!.GetValue<int>() > 3000);
        return body["access_token"]!.GetValue<string>();
    }

    [Fact]
    public async Task A_correctly_signed_assertion_gets_an_access_token()
    {
        Assert.StartsWith("ya29.", await AccessTokenAsync());
    }

    [Fact]
    public async Task Wrong_signatures_claims_and_grant_types_are_refused_with_invalid_grant()
    {
        using var other = RSA.Create(2048);
        var cases = new[]
        {
            await ExchangeAsync(Assertion(other)),
            await ExchangeAsync(Assertion(_key, audience: "https://example.com/token")),
            await ExchangeAsync(Assertion(_key, lifetimeSeconds: 7200)),
            await ExchangeAsync(Assertion(_key, scope: "https://www.googleapis.com/auth/userinfo.email")),
            await ExchangeAsync("not.a-jwt"),
        };
        var wrongGrant = await ExchangeAsync(Assertion(_key), grantType: "client_credentials");

        foreach (var response in cases)
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("invalid_grant", (await response.JsonAsync())["error"]!.GetValue<string>());
        }
        Assert.Equal("Invalid JWT Signature.", (await cases[0].JsonAsync())["error_description"]!.GetValue<string>());
        Assert.Equal("unsupported_grant_type", (await wrongGrant.JsonAsync())["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Gemini_on_vertex_answers_with_a_token_and_refuses_without_one()
    {
        var token = await AccessTokenAsync();
        using var client = _simulator.CreateClient();
        const string Path = "v1/projects/p1/locations/europe-west4/publishers/google/models/gemini-2.5-flash:generateContent";
        const string Body = """{"contents":[{"role":"user","parts":[{"text":"Hello Vertex"}]}]}""";

        var ok = await client.SendAsync(RawHttp.Post(Path, Body, ("Authorization", "Bearer " + token)));
        var unknownToken = await client.SendAsync(RawHttp.Post(Path, Body, ("Authorization", "Bearer ya29.made-up")));
        var apiKeyOnly = await client.SendAsync(RawHttp.Post(Path, Body, ("x-goog-api-key", "g-key")));

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Contains("gemini-2.5-flash", (await ok.JsonAsync())["candidates"]![0]!["content"]!["parts"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Unauthorized, unknownToken.StatusCode);
        Assert.Equal("UNAUTHENTICATED", (await unknownToken.JsonAsync())["error"]!["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Unauthorized, apiKeyOnly.StatusCode);
    }

    [Fact]
    public async Task Claude_on_vertex_needs_the_vertex_version_and_no_model_in_the_body()
    {
        var auth = ("Authorization", "Bearer " + await AccessTokenAsync());
        using var client = _simulator.CreateClient();
        const string Path = "v1/projects/p1/locations/us-east5/publishers/anthropic/models/claude-sonnet-4-5@20250929:";

        var ok = await client.SendAsync(RawHttp.Post(Path + "rawPredict",
            """{"anthropic_version":"vertex-2023-10-16","max_tokens":50,"messages":[{"role":"user","content":"Hi Claude"}]}""", auth));
        var withModel = await client.SendAsync(RawHttp.Post(Path + "rawPredict",
            """{"anthropic_version":"vertex-2023-10-16","model":"claude","max_tokens":50,"messages":[{"role":"user","content":"Hi"}]}""", auth));
        var wrongVersion = await client.SendAsync(RawHttp.Post(Path + "rawPredict",
            """{"anthropic_version":"2023-06-01","max_tokens":50,"messages":[{"role":"user","content":"Hi"}]}""", auth));
        using var streamed = await client.SendAsync(RawHttp.Post(Path + "streamRawPredict",
            """{"anthropic_version":"vertex-2023-10-16","stream":true,"max_tokens":50,"messages":[{"role":"user","content":"Hi"}]}""", auth),
            HttpCompletionOption.ResponseHeadersRead);
        var events = await Sse.ReadAllAsync(streamed);

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var message = await ok.JsonAsync();
        Assert.Equal("message", message["type"]!.GetValue<string>());
        Assert.Equal("claude-sonnet-4-5@20250929", message["model"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, withModel.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, wrongVersion.StatusCode);
        Assert.Equal("message_start", events[0].Name);
        Assert.Equal("message_stop", events[^1].Name);
    }
}
