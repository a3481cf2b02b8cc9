using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Requesty.ProviderSimulator.Vertex;
using Requesty.Router.Catalog;
using Requesty.Router.Providers;
using Requesty.Router.Providers.Vertex;

namespace Requesty.Router.Tests.Unit.ApiSurface;

public class VertexTests
{
    private static readonly RSA Key = RSA.Create(2048);
    private const string TokenUri = "https://oauth2.googleapis.com/token";

    private static string AccountJson(string tokenUri = TokenUri) => new JsonObject
    {
        ["type"] = "service_account",
        ["project_id"] = "acme-prod",
        ["private_key_id"] = "kid-1",
        ["private_key"] = Key.ExportPkcs8PrivateKeyPem(),
        ["client_email"] = "router@acme-prod.iam.gserviceaccount.com",
        ["token_uri"] = tokenUri,
    }.ToJsonString();

    private static VertexOptions Options(params (string Key, string Value)[] extra) => VertexOptions.From(new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { ["Providers:vertex:ServiceAccountJson"] = AccountJson() }
            .Concat(extra.Select(e => KeyValuePair.Create(e.Key, (string?)e.Value))))
        .Build());

    [Fact]
    public void The_assertion_is_an_rs256_jwt_with_the_google_claims_and_a_signature_the_public_key_verifies()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        var assertion = VertexJwt.CreateAssertion(VertexServiceAccount.Parse(AccountJson()), now);

        var parts = assertion.Split('.');
        Assert.Equal(3, parts.Length);
        var header = JsonNode.Parse(Base64Url.DecodeFromChars(parts[0]))!;
        var claims = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!;
        Assert.Equal("""{"alg":"RS256","typ":"JWT","kid":"kid-1"}""", header.ToJsonString());
        Assert.Equal("router@acme-prod.iam.gserviceaccount.com", claims["iss"]!.GetValue<string>());
        Assert.Equal("https://www.googleapis.com/auth/cloud-platform", claims["scope"]!.GetValue<string>());
        Assert.Equal(TokenUri, claims["aud"]!.GetValue<string>());
        Assert.Equal(1_800_000_000, claims["iat"]!.GetValue<long>());
        Assert.Equal(1_800_003_600, claims["exp"]!.GetValue<long>());

        using var publicKey = RSA.Create();
        publicKey.ImportFromPem(Key.ExportSubjectPublicKeyInfoPem());
        Assert.True(publicKey.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.DecodeFromChars(parts[2]),
            HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        // And the simulator's token endpoint, configured with the public key, accepts it (and refuses it for another key).
        Assert.Null(VertexTokenEndpoint.Check(assertion, TokenUri, Key.ExportSubjectPublicKeyInfoPem(), now.AddSeconds(5)));
        using var other = RSA.Create(2048);
        Assert.Equal("Invalid JWT Signature.", VertexTokenEndpoint.Check(assertion, TokenUri, other.ExportSubjectPublicKeyInfoPem(), now.AddSeconds(5)));
    }

    [Theory]
    [InlineData("us-central1", "https://us-central1-aiplatform.googleapis.com/v1/projects/acme-prod/locations/us-central1/publishers/google/models/gemini-2.5-flash:generateContent")]
    [InlineData("europe-west4", "https://europe-west4-aiplatform.googleapis.com/v1/projects/acme-prod/locations/europe-west4/publishers/google/models/gemini-2.5-flash:generateContent")]
    [InlineData("global", "https://aiplatform.googleapis.com/v1/projects/acme-prod/locations/global/publishers/google/models/gemini-2.5-flash:generateContent")]
    [InlineData("eu", "https://us-central1-aiplatform.googleapis.com/v1/projects/acme-prod/locations/us-central1/publishers/google/models/gemini-2.5-flash:generateContent")]
    public void Gemini_urls_follow_the_model_region(string region, string expected)
    {
        var options = Options();
        var location = options.LocationFor(region);

        Assert.Equal(expected, options.ModelUri(location, "google", "gemini-2.5-flash", "generateContent").ToString());
    }

    [Fact]
    public async Task Claude_requests_go_to_raw_predict_with_the_vertex_version_and_no_model()
    {
        var options = Options(("Providers:vertex:ProjectId", "other-project"));
        var provider = new VertexChatProvider(options, null!, null!, null!, null!, TimeProvider.System);
        var model = BuiltInModels.All.Single(m => m.Id == "vertex/claude-sonnet-4-5") with { Region = "europe-west1" };
        var chat = JsonNode.Parse("""{"messages":[{"role":"user","content":"hi"}],"stream":true}""")!.AsObject();

        using var request = provider.CreateRequest(new ChatCompletionRequest(chat, model, Stream: true));
        var body = JsonNode.Parse(await request.Content!.ReadAsStringAsync())!;

        Assert.Equal("https://europe-west1-aiplatform.googleapis.com/v1/projects/other-project/locations/europe-west1/publishers/anthropic/models/claude-sonnet-4-5@20250929:streamRawPredict",
            request.RequestUri!.ToString());
        Assert.Null(body["model"]);
        Assert.Equal("vertex-2023-10-16", body["anthropic_version"]!.GetValue<string>());
        Assert.True(body["stream"]!.GetValue<bool>());
        Assert.Equal("hi", body["messages"]![0]!["content"]![0]!["text"]!.GetValue<string>());
    }

    [Fact]
    public void Without_an_account_vertex_uses_the_simulator_when_there_is_one_and_is_absent_otherwise()
    {
        var withSimulator = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Simulator:Url"] = "http://127.0.0.1:5090" }).Build();
        var without = new ConfigurationBuilder().Build();

        var endpoint = VertexOptions.Endpoint(withSimulator)!;
        Assert.True(endpoint.IsSimulator);
        Assert.Equal("http://127.0.0.1:5090/", endpoint.BaseAddress.ToString());
        Assert.Equal("http://127.0.0.1:5090/oauth2/token", VertexOptions.From(withSimulator).Account!.TokenUri);
        Assert.Null(VertexOptions.Endpoint(without));
    }

    [Fact]
    public async Task The_access_token_is_fetched_once_reused_and_refreshed_shortly_before_it_expires()
    {
        var handler = new TokenEndpointStub();
        var time = new ManualTime(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
        var tokens = new VertexAccessTokens(Options(), new StubClients(handler), time);

        var concurrent = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => tokens.GetAsync(CancellationToken.None).AsTask()));
        Assert.All(concurrent, t => Assert.Equal("token-1", t));
        Assert.Equal(1, handler.Calls);

        time.Now += TimeSpan.FromSeconds(3599) - VertexAccessTokens.RefreshMargin - TimeSpan.FromSeconds(1);
        Assert.Equal("token-1", await tokens.GetAsync(CancellationToken.None));
        time.Now += TimeSpan.FromSeconds(2);
        Assert.Equal("token-2", await tokens.GetAsync(CancellationToken.None));
        Assert.Equal(2, handler.Calls);

        var form = handler.LastForm!;
        Assert.Contains("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer", form);
        Assert.Contains("assertion=", form);
        Assert.Equal(TokenUri, handler.LastUri!.ToString());
    }

    [Fact]
    public async Task A_refused_account_fails_as_an_upstream_error_without_leaking_the_assertion()
    {
        var handler = new TokenEndpointStub { Refuse = true };
        var tokens = new VertexAccessTokens(Options(), new StubClients(handler), TimeProvider.System);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => tokens.GetAsync(CancellationToken.None).AsTask());

        Assert.Contains("invalid_grant", error.Message);
        Assert.DoesNotContain("eyJ", error.Message);
    }

    private sealed class ManualTime(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private sealed class StubClients(HttpMessageHandler handler) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false);
    }

    private sealed class TokenEndpointStub : HttpMessageHandler
    {
        private int _calls;
        public int Calls => _calls;
        public bool Refuse { get; init; }
        public string? LastForm { get; private set; }
        public Uri? LastUri { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var call = Interlocked.Increment(ref _calls);
            LastForm = await request.Content!.ReadAsStringAsync(cancellationToken);
            LastUri = request.RequestUri;
            await Task.Delay(20, cancellationToken); // let concurrent callers pile up behind the lock
            var body = Refuse
                ? """{"error":"invalid_grant","error_description":"Invalid JWT Signature."}"""
                : $$"""{"access_token":"token-{{call}}","expires_in":3599,"token_type":"Bearer"}""";
            return new HttpResponseMessage(Refuse ? HttpStatusCode.BadRequest : HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        }
    }

    [Fact]
    public async Task A_fenced_claude_answer_to_a_json_object_request_reaches_the_client_as_bare_json()
    {
        var provider = new VertexChatProvider(Options(), null!, null!, null!, null!, TimeProvider.System);
        var model = BuiltInModels.All.Single(m => m.Id == "vertex/claude-sonnet-4-5");
        const string Fenced = """{"id":"msg_1","model":"claude-sonnet-4-5","stop_reason":"end_turn","usage":{"input_tokens":3,"output_tokens":5},"content":[{"type":"text","text":"```json\n{\"a\":1}\n```"}]}""";
        async Task<string> ContentFor(string chat)
        {
            using var upstream = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Fenced, Encoding.UTF8, "application/json") };
            var output = new Providers.RecordingChatOutput();
            var request = new ChatCompletionRequest(JsonNode.Parse(chat)!.AsObject(), model, Stream: false);
            await provider.RelayCompletionAsync(upstream, output, Providers.ProviderTestData.Record(), request, CancellationToken.None);
            return output.Completion!["choices"]![0]!["message"]!["content"]!.GetValue<string>();
        }

        Assert.Equal("""{"a":1}""", await ContentFor("""{"messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_object"}}"""));
        Assert.StartsWith("```json", await ContentFor("""{"messages":[{"role":"user","content":"hi"}]}"""));
    }
}
