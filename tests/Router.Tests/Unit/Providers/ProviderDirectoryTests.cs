using Microsoft.Extensions.Configuration;
using Requesty.Router.Providers;

namespace Requesty.Router.Tests.Unit.Providers;

public sealed class ProviderDirectoryTests
{
    private static ProviderDirectory Directory(params (string Key, string Value)[] settings) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build());

    [Theory]
    [InlineData("mistral")]
    [InlineData("xai")]
    [InlineData("deepseek")]
    [InlineData("groq")]
    [InlineData("together")]
    [InlineData("azure")]
    public void Without_a_key_openai_format_providers_go_to_the_simulators_openai_routes(string provider)
    {
        var directory = Directory(("Simulator:Url", "http://127.0.0.1:5090"));

        Assert.True(directory.TryGet(provider, out var endpoint));
        Assert.True(endpoint.IsSimulator);
        Assert.Equal("http://127.0.0.1:5090/v1/", endpoint.BaseAddress.AbsoluteUri);
    }

    [Theory]
    [InlineData("mistral", "https://api.mistral.ai/v1/")]
    [InlineData("xai", "https://api.x.ai/v1/")]
    [InlineData("deepseek", "https://api.deepseek.com/v1/")]
    [InlineData("groq", "https://api.groq.com/openai/v1/")]
    [InlineData("together", "https://api.together.xyz/v1/")]
    public void A_platform_key_switches_to_the_real_api(string provider, string baseUrl)
    {
        var directory = Directory(("Simulator:Url", "http://127.0.0.1:5090"), ($"Providers:{provider}:ApiKey", "real-key"));

        Assert.True(directory.TryGet(provider, out var endpoint));
        Assert.False(endpoint.IsSimulator);
        Assert.Equal(baseUrl, endpoint.BaseAddress.AbsoluteUri);
        Assert.Equal("real-key", endpoint.ApiKey);
    }

    [Fact]
    public void A_provider_added_by_configuration_uses_its_base_url_and_key()
    {
        var directory = Directory(
            ("Simulator:Url", "http://127.0.0.1:5090"),
            ("Providers:vllm:Format", "openai"),
            ("Providers:vllm:BaseUrl", "http://10.0.0.5:8000/v1"),
            ("Providers:openrouter:Format", "openai"),
            ("Providers:openrouter:BaseUrl", "https://openrouter.ai/api/v1/"),
            ("Providers:openrouter:ApiKey", "or-key"));

        Assert.True(directory.TryGet("vllm", out var vllm));
        Assert.Equal("http://10.0.0.5:8000/v1/", vllm.BaseAddress.AbsoluteUri);
        Assert.Equal("", vllm.ApiKey);
        Assert.False(vllm.IsSimulator);
        Assert.True(directory.TryGet("openrouter", out var openRouter));
        Assert.Equal("https://openrouter.ai/api/v1/", openRouter.BaseAddress.AbsoluteUri);
        Assert.Equal("or-key", openRouter.ApiKey);
    }

    [Fact]
    public void Azure_and_configured_providers_without_an_url_or_a_simulator_are_not_configured()
    {
        var directory = Directory(("Providers:ollama:Format", "openai"));

        Assert.False(directory.TryGet("azure", out _));
        Assert.False(directory.TryGet("ollama", out _));
        Assert.True(directory.TryGet("mistral", out var mistral));
        Assert.Equal("https://api.mistral.ai/v1/", mistral.BaseAddress.AbsoluteUri);
    }

    [Fact]
    public void Azure_uses_its_endpoint_and_key()
    {
        var directory = Directory(
            ("Simulator:Url", "http://127.0.0.1:5090"),
            ("Providers:azure:Endpoint", "https://contoso.openai.azure.com"),
            ("Providers:azure:ApiKey", "azure-key"));

        Assert.True(directory.TryGet("azure", out var azure));
        Assert.False(azure.IsSimulator);
        Assert.Equal("https://contoso.openai.azure.com/", azure.BaseAddress.AbsoluteUri);
        Assert.Equal("azure-key", azure.ApiKey);
    }

    [Fact]
    public void Only_providers_with_a_key_a_configured_url_or_the_simulator_are_served_on_the_platforms_key()
    {
        var directory = Directory(
            ("Providers:openai:ApiKey", "sk-platform"),
            ("Providers:google:BaseUrl", "http://10.0.0.9:8080/"),
            ("Providers:vllm:Format", "openai"),
            ("Providers:vllm:BaseUrl", "http://10.0.0.5:8000/v1"));

        Assert.True(directory.ServesOnPlatformKey("openai"));
        Assert.True(directory.ServesOnPlatformKey("openai-responses"));
        Assert.True(directory.ServesOnPlatformKey("google"));
        Assert.True(directory.ServesOnPlatformKey("vllm"));
        // Known providers without a key: their real API is there, but only an organisation's own key can call it.
        Assert.True(directory.TryGet("anthropic", out var anthropic));
        Assert.False(anthropic.HasPlatformKey);
        Assert.False(directory.ServesOnPlatformKey("anthropic"));
        Assert.False(directory.ServesOnPlatformKey("mistral"));
        Assert.False(directory.ServesOnPlatformKey("no-such-provider"));

        var demo = Directory(("Simulator:Url", "http://127.0.0.1:5090"));
        Assert.True(demo.ServesOnPlatformKey("anthropic"));
        Assert.True(demo.ServesOnPlatformKey("mistral"));
    }
}
