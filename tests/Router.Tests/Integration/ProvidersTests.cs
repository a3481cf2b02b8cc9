using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using OpenAI;
using OpenAI.Chat;
using Requesty.Contracts.Events;
using Requesty.Contracts.Keys;
using Requesty.ProviderSimulator;
using Requesty.Router.Accounting;
using Requesty.Router.Catalog;
using Requesty.Router.Keys;
using Requesty.TestKit;

namespace Requesty.Router.Tests.Integration;

/// <summary>
/// OpenAI-compatible providers (built-in and added by configuration), Azure and regional model ids, through
/// the router on real HTTP with the simulator's OpenAI routes upstream. Bedrock and Vertex are not here:
/// the simulator does not speak them (their signing and mapping are unit-tested).
/// </summary>
public sealed class ProvidersTests : IAsyncLifetime
{
    private const string LocalKey = "local-vllm-key";
    private ServiceHost _simulator = null!;
    private ServiceHost _management = null!;
    private ServiceHost _router = null!;
    private EventProbe<RequestCompleted> _events = null!;
    private readonly TemporaryDirectory _journal = new("router-journal-");
    private readonly string _apiKey = "rqsty-sk-test-" + Guid.NewGuid().ToString("N");
    private readonly Guid _apiKeyId = Guid.NewGuid();

    public async Task InitializeAsync()
    {
        _events = await EventProbe<RequestCompleted>.StartAsync();
        var key = new ApiKeyContext
        {
            KeyHash = KeyHasher.Hash(_apiKey), ApiKeyId = _apiKeyId, OrganizationId = Guid.NewGuid(), UserId = Guid.NewGuid(),
            Permissions = ["chat"], Version = 1,
        };
        _simulator = await ServiceHost.StartAsync(SimulatorApp.Build);
        _management = await ServiceHost.StartAsync(StubManagement.Build([key], TestServers.InternalToken));
        _router = await ServiceHost.StartAsync(RouterApp.Build,
        [
            .. TestServers.ServiceArgs(),
            $"--Management:Url={_management.BaseAddress}",
            $"--Simulator:Url={_simulator.BaseAddress}",
            $"--Journal:Directory={_journal.Path}",
            // A self-hosted OpenAI-compatible server (vLLM, Ollama...) added purely by configuration.
            "--Providers:vllm:Format=openai",
            $"--Providers:vllm:BaseUrl={_simulator.BaseAddress}v1",
            $"--Providers:vllm:ApiKey={LocalKey}",
            "--Providers:vllm:Models:0:Name=llama3.1:8b",
            "--Providers:vllm:Models:0:InputPerMillion=0.10",
            "--Providers:vllm:Models:0:OutputPerMillion=0.20",
            "--Providers:azure:Deployments:prod-mini=gpt-4o-mini",
        ]);
    }

    public async Task DisposeAsync()
    {
        await _router.DisposeAsync();
        await _management.DisposeAsync();
        await _simulator.DisposeAsync();
        await _events.DisposeAsync();
        _journal.Dispose();
    }

    private ChatClient Client(string model) => new(model, new ApiKeyCredential(_apiKey), new OpenAIClientOptions
    {
        Endpoint = new Uri(_router.BaseAddress, "v1"),
        RetryPolicy = new ClientRetryPolicy(0),
    });

    [Theory]
    [InlineData("mistral/mistral-large-latest", "mistral-large-latest")]
    [InlineData("xai/grok-4", "grok-4")]
    [InlineData("deepseek/deepseek-chat", "deepseek-chat")]
    [InlineData("groq/llama-3.3-70b-versatile", "llama-3.3-70b-versatile")]
    [InlineData("together/meta-llama/Llama-3.3-70B-Instruct-Turbo", "meta-llama/Llama-3.3-70B-Instruct-Turbo")]
    [InlineData("azure/gpt-4o", "gpt-4o")]
    public async Task Each_provider_answers_through_the_openai_format_and_is_billed_at_its_prices(string model, string upstreamModel)
    {
        ChatCompletion completion = await Client(model).CompleteChatAsync([new UserChatMessage("Hello there")]);

        Assert.Contains("simulator", completion.Content[0].Text, StringComparison.OrdinalIgnoreCase);
        var upstream = await LastUpstreamRequestAsync();
        Assert.Equal("/v1/chat/completions", upstream["path"]!.GetValue<string>());
        Assert.Equal(upstreamModel, upstream["body"]!["model"]!.GetValue<string>());
        var published = await _events.WaitForAsync(e => e.Caller.ApiKeyId == _apiKeyId);
        Assert.Equal(model, published.ServedModel);
        Assert.Equal(model[..model.IndexOf('/')], published.ServedProvider);
        Assert.True(published.Usage.InputTokens > 0 && published.Usage.OutputTokens > 0);
        var price = BuiltInModels.All.Single(m => m.Id == model).Price;
        Assert.Equal(CostCalculator.Cost(published.Usage, price), published.CostUsd);
        Assert.True(published.CostUsd > 0m);
    }

    [Theory]
    [InlineData("groq/llama-3.3-70b-versatile", true)]
    [InlineData("mistral/mistral-small-latest", false)]
    public async Task A_stream_is_relayed_with_its_usage(string model, bool upstreamAskedForUsage)
    {
        var text = new StringBuilder();
        ChatTokenUsage? usage = null;
        await foreach (var update in Client(model).CompleteChatStreamingAsync([new UserChatMessage("Stream please")]))
        {
            foreach (var part in update.ContentUpdate) text.Append(part.Text);
            usage ??= update.Usage;
        }

        Assert.Contains("simulator", text.ToString(), StringComparison.OrdinalIgnoreCase);
        var upstream = await LastUpstreamRequestAsync();
        Assert.Equal(upstreamAskedForUsage, upstream["body"]!["stream_options"] is not null);
        var published = await _events.WaitForAsync(e => e.Caller.ApiKeyId == _apiKeyId);
        Assert.True(published.Stream);
        Assert.Equal(model, published.ServedModel);
        if (upstreamAskedForUsage)
        {
            Assert.NotNull(usage);
            Assert.Equal(usage.OutputTokenCount, published.Usage.OutputTokens);
            Assert.True(published.CostUsd > 0m);
        }
    }

    [Fact]
    public async Task A_provider_added_by_configuration_gets_its_url_key_and_model_name()
    {
        ChatCompletion completion = await Client("vllm/llama3.1:8b").CompleteChatAsync([new UserChatMessage("Hi local model")]);

        Assert.Contains("simulator", completion.Content[0].Text, StringComparison.OrdinalIgnoreCase);
        var upstream = await LastUpstreamRequestAsync();
        Assert.Equal("llama3.1:8b", upstream["body"]!["model"]!.GetValue<string>());
        Assert.Equal($"Bearer {LocalKey}", upstream["headers"]!["Authorization"]!.ToString());
        var published = await _events.WaitForAsync(e => e.Caller.ApiKeyId == _apiKeyId);
        Assert.Equal("vllm", published.ServedProvider);
        Assert.Equal(CostCalculator.Cost(published.Usage, new ModelPrice(0.10m, 0.20m)), published.CostUsd);
    }

    [Fact]
    public async Task A_configured_azure_deployment_is_priced_like_its_openai_model()
    {
        await Client("azure/prod-mini").CompleteChatAsync([new UserChatMessage("Hello Azure")]);

        Assert.Equal("prod-mini", (await LastUpstreamRequestAsync())["body"]!["model"]!.GetValue<string>());
        var published = await _events.WaitForAsync(e => e.Caller.ApiKeyId == _apiKeyId);
        Assert.Equal(CostCalculator.Cost(published.Usage, BuiltInModels.All.Single(m => m.Id == "openai/gpt-4o-mini").Price), published.CostUsd);
    }

    [Fact]
    public async Task A_region_suffix_serves_the_model_and_records_the_region()
    {
        ChatCompletion completion = await Client("anthropic/claude-sonnet-4-5@eu").CompleteChatAsync([new UserChatMessage("Hello from Europe")]);

        Assert.Contains("simulator", completion.Content[0].Text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("claude-sonnet-4-5", (await LastUpstreamRequestAsync())["body"]!["model"]!.GetValue<string>());
        var published = await _events.WaitForAsync(e => e.Caller.ApiKeyId == _apiKeyId);
        Assert.Equal("anthropic/claude-sonnet-4-5@eu", published.RequestedModel);
        Assert.Equal("anthropic/claude-sonnet-4-5@eu", published.ServedModel);
        Assert.Equal("eu", published.Region);
        Assert.Equal(CostCalculator.Cost(published.Usage, BuiltInModels.All.Single(m => m.Id == "anthropic/claude-sonnet-4-5").Price), published.CostUsd);
    }

    [Fact]
    public async Task An_unknown_model_with_a_region_suffix_is_a_404_in_openai_format()
    {
        using var http = _router.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", _apiKey);

        using var response = await http.PostAsJsonAsync("v1/chat/completions",
            new { model = "mistral/no-such-model@eu", messages = new[] { new { role = "user", content = "Hi" } } });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal("model_not_found", error["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_anthropic_messages_endpoint_reaches_an_openai_compatible_provider()
    {
        using var http = _router.CreateClient();
        http.DefaultRequestHeaders.Add("x-api-key", _apiKey);
        http.DefaultRequestHeaders.Add("anthropic-version", "2023-06-01");

        using var response = await http.PostAsJsonAsync("v1/messages", new
        {
            model = "deepseek/deepseek-chat",
            max_tokens = 100,
            messages = new[] { new { role = "user", content = "Hello DeepSeek" } },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var message = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("message", message["type"]!.GetValue<string>());
        Assert.Contains("simulator", message["content"]![0]!["text"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        var upstream = await LastUpstreamRequestAsync();
        Assert.Equal("/v1/chat/completions", upstream["path"]!.GetValue<string>());
        Assert.Equal("deepseek-chat", upstream["body"]!["model"]!.GetValue<string>());
        var published = await _events.WaitForAsync(e => e.Caller.ApiKeyId == _apiKeyId);
        Assert.Equal("deepseek", published.ServedProvider);
    }

    private Task<JsonNode> LastUpstreamRequestAsync() => SimulatorRequests.LastAsync(_simulator);
}
