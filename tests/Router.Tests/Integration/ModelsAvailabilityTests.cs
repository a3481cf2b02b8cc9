using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Models;
using Requesty.Contracts.Management;
using Requesty.TestKit;

namespace Requesty.Router.Tests.Integration;

/// <summary>
/// A deployment with a platform key for OpenAI only (no simulator fallback): /v1/models lists what that key can
/// serve, and a model of a provider without a platform key is refused up front instead of reaching the provider with
/// no key.
/// </summary>
public sealed class ModelsAvailabilityTests : IAsyncLifetime
{
    private RouterHarness _harness = null!;

    public async Task InitializeAsync() =>
        _harness = await RouterHarness.StartAsync(
            policies: key =>
            [
                new RoutingPolicy
                {
                    OrganizationId = key.OrganizationId, Name = "claude-first", Type = "fallback", Version = 1,
                    Entries = [new() { Model = "anthropic/claude-sonnet-4-5" }, new() { Model = "openai/gpt-4o-mini" }],
                },
            ],
            argsForSimulator: simulator =>
            [
                "--Simulator:Url=", // no simulator fallback: only OpenAI, with its platform key, is served
                "--Providers:openai:ApiKey=sk-platform-openai",
                $"--Providers:openai:BaseUrl={simulator}v1/",
            ]);

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private OpenAIClientOptions Options() => new() { Endpoint = new Uri(_harness.Router.BaseAddress, "v1"), RetryPolicy = new ClientRetryPolicy(0) };

    [Fact]
    public async Task The_model_list_holds_only_models_the_platform_key_serves()
    {
        var models = (await new OpenAIModelClient(new ApiKeyCredential(_harness.ApiKey), Options()).GetModelsAsync()).Value;

        Assert.NotEmpty(models);
        Assert.All(models, m => Assert.True(m.Id.StartsWith("openai/") || m.Id.StartsWith("openai-responses/"), m.Id));
        Assert.Contains(models, m => m.Id == "openai/gpt-4o-mini");
    }

    [Fact]
    public async Task A_listed_model_answers_and_a_model_without_a_platform_key_is_refused_with_a_clear_error()
    {
        var answer = await new ChatClient("openai/gpt-4o-mini", new ApiKeyCredential(_harness.ApiKey), Options()).CompleteChatAsync("hello");
        Assert.NotEmpty(answer.Value.Content[0].Text);

        using var http = _harness.CreateRouterClient();
        using var refused = await http.PostAsync("v1/chat/completions", new StringContent(
            """{"model":"anthropic/claude-sonnet-4-5","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var error = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal("provider_not_configured", (string?)error["code"]);
        Assert.Equal("model", (string?)error["param"]);
        Assert.Contains("anthropic", (string?)error["message"]);
    }

    [Fact]
    public async Task A_policy_skips_an_entry_on_the_platform_key_of_a_provider_without_one()
    {
        using var http = _harness.CreateRouterClient();
        var served = await Eventually.GetAsync(async () =>
        {
            var response = await http.PostAsync("v1/chat/completions", new StringContent(
                """{"model":"policy/claude-first","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"));
            return response.StatusCode == HttpStatusCode.OK ? response : null;
        }, TimeSpan.FromSeconds(30), "the router to load the policy");

        Assert.Equal("openai/gpt-4o-mini", served.Headers.GetValues("x-requesty-model").Single());
        // Skipped, not tried: no request went out with an empty key.
        Assert.Equal("1", served.Headers.GetValues("x-requesty-attempts").Single());
    }
}
