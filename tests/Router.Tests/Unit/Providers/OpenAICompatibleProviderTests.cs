using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Requesty.Router.Providers;
using Requesty.Router.Providers.OpenAI;
using Requesty.Router.Providers.OpenAICompatible;

namespace Requesty.Router.Tests.Unit.Providers;

public sealed class OpenAICompatibleProviderTests
{
    private static OpenAICompatibleProfile Profile(string name) => OpenAICompatibleProfile.BuiltIn.Single(p => p.Name == name);

    private static OpenAICompatibleChatProvider Provider(string name) =>
        new(Profile(name), new UnusedHttpClientFactory(), new OpenAIStreamRelay(TimeProvider.System), TimeProvider.System);

    private static ChatCompletionRequest Request(string model, string body, bool stream) =>
        new((JsonObject)JsonNode.Parse(body)!, ProviderTestData.Model(model), stream);

    [Fact]
    public void The_body_goes_upstream_with_the_providers_model_name_and_a_usage_request_for_streams()
    {
        var body = OpenAICompatibleChatProvider.UpstreamBody(Profile("groq"),
            Request("groq/openai/gpt-oss-120b", """{"model":"groq/openai/gpt-oss-120b","messages":[],"max_completion_tokens":50}""", stream: true));

        Assert.Equal("openai/gpt-oss-120b", body["model"]!.GetValue<string>());
        Assert.True(body["stream_options"]!["include_usage"]!.GetValue<bool>());
        Assert.Equal(50, body["max_completion_tokens"]!.GetValue<int>());
    }

    [Fact]
    public void Mistral_gets_max_tokens_and_no_stream_options()
    {
        var body = OpenAICompatibleChatProvider.UpstreamBody(Profile("mistral"), Request("mistral/mistral-large-latest",
            """{"messages":[],"max_completion_tokens":64,"stream_options":{"include_usage":true}}""", stream: true));

        Assert.Equal("mistral-large-latest", body["model"]!.GetValue<string>());
        Assert.Null(body["stream_options"]);
        Assert.Null(body["max_completion_tokens"]);
        Assert.Equal(64, body["max_tokens"]!.GetValue<int>());
    }

    [Fact]
    public void Providers_with_format_openai_in_configuration_join_the_built_in_ones()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Providers:vllm:Format"] = "openai",
            ["Providers:vllm:BaseUrl"] = "http://127.0.0.1:8000/v1",
            ["Providers:Ollama:Format"] = "OpenAI",
            ["Providers:Ollama:StreamOptions"] = "false",
            ["Providers:anthropic:Format"] = "openai", // reserved: keeps its own implementation
            ["Providers:other:BaseUrl"] = "http://127.0.0.1:9/",  // no format: not added
        }).Build();

        var profiles = OpenAICompatibleProfile.All(configuration).ToDictionary(p => p.Name);

        Assert.Contains("mistral", profiles.Keys);
        Assert.True(profiles["vllm"].SendsStreamOptions);
        Assert.False(profiles["ollama"].SendsStreamOptions);
        Assert.Null(profiles["ollama"].RealBaseUrl);
        Assert.DoesNotContain("anthropic", profiles.Keys);
        Assert.DoesNotContain("other", profiles.Keys);
    }

    [Fact]
    public async Task DeepSeek_reasoning_content_deltas_reach_the_client_untouched()
    {
        const string stream = """
            data: {"id":"d1","object":"chat.completion.chunk","created":1,"model":"deepseek-reasoner","choices":[{"index":0,"delta":{"role":"assistant","content":null,"reasoning_content":""},"finish_reason":null}]}

            data: {"id":"d1","object":"chat.completion.chunk","created":1,"model":"deepseek-reasoner","choices":[{"index":0,"delta":{"content":null,"reasoning_content":"The user greets; "},"finish_reason":null}]}

            data: {"id":"d1","object":"chat.completion.chunk","created":1,"model":"deepseek-reasoner","choices":[{"index":0,"delta":{"content":null,"reasoning_content":"answer politely."},"finish_reason":null}]}

            data: {"id":"d1","object":"chat.completion.chunk","created":1,"model":"deepseek-reasoner","choices":[{"index":0,"delta":{"content":"Hello!","reasoning_content":null},"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":20,"total_tokens":32,"prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":17},"prompt_cache_hit_tokens":0,"prompt_cache_miss_tokens":12}}

            data: [DONE]

            """;
        var output = new RecordingChatOutput();
        var record = ProviderTestData.Record();

        var answer = await Provider("deepseek").RelayStreamAsync(ProviderTestData.Upstream(stream), output, record,
            Request("deepseek/deepseek-reasoner", "{}", stream: true), CancellationToken.None);

        var reasoning = string.Concat(output.Chunks.Select(c => c["choices"]?[0]?["delta"]?["reasoning_content"]?.GetValue<string?>()));
        Assert.Equal("The user greets; answer politely.", reasoning);
        Assert.Equal("Hello!", answer);
        Assert.True(output.Ended);
        Assert.Equal(12, record.Usage.InputTokens);
        Assert.Equal(20, record.Usage.OutputTokens);
        Assert.Equal(17, record.Usage.ReasoningTokens);
    }

    [Fact]
    public async Task A_non_streamed_reasoning_content_is_kept_in_the_message()
    {
        const string completion = """
            {"id":"d2","object":"chat.completion","created":1,"model":"deepseek-reasoner","choices":[{"index":0,"message":{"role":"assistant","content":"42","reasoning_content":"6 times 7."},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":9,"total_tokens":14}}
            """;
        var output = new RecordingChatOutput();

        var answer = await Provider("deepseek").RelayCompletionAsync(ProviderTestData.Upstream(completion, "application/json"), output,
            ProviderTestData.Record(), Request("deepseek/deepseek-reasoner", "{}", stream: false), CancellationToken.None);

        Assert.Equal("42", answer);
        Assert.Equal("6 times 7.", output.Completion!["choices"]![0]!["message"]!["reasoning_content"]!.GetValue<string>());
    }

    [Fact]
    public async Task xAI_reasoning_tokens_are_billed_on_top_of_its_completion_tokens()
    {
        const string completion = """
            {"id":"x","object":"chat.completion","created":1,"model":"grok-4","choices":[{"index":0,"message":{"role":"assistant","content":"Hi"},"finish_reason":"stop"}],"usage":{"prompt_tokens":10,"completion_tokens":3,"total_tokens":313,"prompt_tokens_details":{"cached_tokens":4},"completion_tokens_details":{"reasoning_tokens":300}}}
            """;
        var record = ProviderTestData.Record();

        await Provider("xai").RelayCompletionAsync(ProviderTestData.Upstream(completion, "application/json"), new RecordingChatOutput(),
            record, Request("xai/grok-4", "{}", stream: false), CancellationToken.None);

        Assert.Equal(6, record.Usage.InputTokens);
        Assert.Equal(4, record.Usage.CacheReadTokens);
        Assert.Equal(303, record.Usage.OutputTokens);
        Assert.Equal(300, record.Usage.ReasoningTokens);
    }
}
