using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Requesty.Router.Catalog;
using Requesty.Router.Providers;
using Requesty.Router.Providers.Azure;
using Requesty.Router.Providers.OpenAI;
using Requesty.Router.Providers.OpenAICompatible;

namespace Requesty.Router.Tests.Unit.Providers;

public sealed class AzureOpenAITests
{
    private static readonly ProviderEndpoint Real = new("azure", new Uri("https://contoso.openai.azure.com/"), "azure-key", IsSimulator: false);

    private static AzureOpenAIChatProvider Provider(params (string Key, string Value)[] settings) => new(
        AzureOpenAIOptions.From(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build()),
        new UnusedHttpClientFactory(), new OpenAIStreamRelay(TimeProvider.System), TimeProvider.System);

    private static ChatCompletionRequest Request(string model, string region = "us", bool stream = false) =>
        new(new JsonObject { ["model"] = model, ["messages"] = new JsonArray() }, ProviderTestData.Model(model, region), stream);

    [Fact]
    public async Task The_request_goes_to_the_deployment_url_with_the_api_key_header()
    {
        using var message = Provider().CreateRequest(Real, Request("azure/prod-gpt4o", stream: true));

        Assert.Equal(HttpMethod.Post, message.Method);
        Assert.Equal("https://contoso.openai.azure.com/openai/deployments/prod-gpt4o/chat/completions?api-version=2024-10-21", message.RequestUri!.AbsoluteUri);
        Assert.Equal("azure-key", message.Headers.GetValues("api-key").Single());
        Assert.Null(message.Headers.Authorization);
        var body = JsonNode.Parse(await message.Content!.ReadAsStringAsync())!;
        Assert.Equal("prod-gpt4o", body["model"]!.GetValue<string>());
        Assert.True(body["stream_options"]!["include_usage"]!.GetValue<bool>());
    }

    [Fact]
    public void The_api_version_comes_from_configuration()
    {
        using var message = Provider(("Providers:azure:ApiVersion", "2025-04-01-preview")).CreateRequest(Real, Request("azure/gpt-4o"));

        Assert.Equal("api-version=2025-04-01-preview", message.RequestUri!.Query.TrimStart('?'));
    }

    [Fact]
    public void A_region_suffix_picks_that_regions_resource()
    {
        var provider = Provider(
            ("Providers:azure:Regions:swedencentral:Endpoint", "https://contoso-se.openai.azure.com"),
            ("Providers:azure:Regions:swedencentral:ApiKey", "se-key"));

        using var regional = provider.CreateRequest(Real, Request("azure/gpt-4o", region: "swedencentral"));
        using var unknownRegion = provider.CreateRequest(Real, Request("azure/gpt-4o", region: "francecentral"));

        Assert.Equal("https://contoso-se.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21", regional.RequestUri!.AbsoluteUri);
        Assert.Equal("se-key", regional.Headers.GetValues("api-key").Single());
        Assert.Equal("contoso.openai.azure.com", unknownRegion.RequestUri!.Host);
    }

    [Fact]
    public void The_simulator_is_spoken_to_on_its_openai_route()
    {
        var simulator = new ProviderEndpoint("azure", new Uri("http://127.0.0.1:5090/v1/"), "simulator-key", IsSimulator: true);

        using var message = Provider().CreateRequest(simulator, Request("azure/gpt-4o"));

        Assert.Equal("http://127.0.0.1:5090/v1/chat/completions", message.RequestUri!.AbsoluteUri);
        Assert.Equal("Bearer simulator-key", message.Headers.Authorization!.ToString());
    }

    [Fact]
    public void Configured_deployments_and_models_join_the_catalogue_at_their_prices()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Providers:azure:Deployments:prod-mini"] = "gpt-4o-mini",
            ["Providers:ollama:Format"] = "openai",
            ["Providers:ollama:Models:0"] = "llama3.1:8b",
            ["Providers:vllm:Models:0:Name"] = "Qwen/Qwen3-32B",
            ["Providers:vllm:Models:0:InputPerMillion"] = "0.10",
            ["Providers:vllm:Models:0:OutputPerMillion"] = "0.30",
            ["Providers:vllm:Models:0:ContextWindow"] = "32768",
            ["Providers:mistral:Models:mistral-tiny"] = "",
        }).Build();

        var catalog = new ModelCatalog(BuiltInModels.All.WithConfiguredModels(configuration));

        Assert.True(catalog.TryFind("azure/prod-mini", out var deployment));
        Assert.Equal(("azure", "prod-mini"), (deployment.Provider, deployment.UpstreamModel));
        Assert.Equal(BuiltInModels.All.Single(m => m.Id == "openai/gpt-4o-mini").Price, deployment.Price);
        Assert.True(catalog.TryFind("ollama/llama3.1:8b", out var ollama));
        Assert.Equal(("ollama", "llama3.1:8b", 0m), (ollama.Provider, ollama.UpstreamModel, ollama.Price.InputPerMillion));
        Assert.True(catalog.TryFind("vllm/Qwen/Qwen3-32B", out var qwen));
        Assert.Equal(new ModelPrice(0.10m, 0.30m), qwen.Price);
        Assert.Equal(32_768, qwen.ContextWindow);
        Assert.True(catalog.TryFind("mistral/mistral-tiny", out _));
        Assert.True(catalog.TryFind("mistral/mistral-large-latest", out _));
    }
}
