using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Requesty.Contracts.Keys;
using Requesty.ProviderSimulator;
using Requesty.Router.Keys;
using Requesty.TestKit;

namespace Requesty.Router.Tests.Integration;

/// <summary>
/// A router with a small body limit and its own catalogue file (Catalog:File) with models lacking vision and tools.
/// Every request here is bad: the tests check the status, the caller's error format, and that nothing reached upstream.
/// </summary>
public sealed class BadInputRouter : IAsyncLifetime
{
    public const int MaxBodyBytes = 8_192;

    private const string Catalogue = """
        { "models": [
          { "id": "openai/gpt-4o-mini", "provider": "openai", "upstream_model": "gpt-4o-mini", "kind": "chat",
            "context_window": 128000, "max_output_tokens": 16384, "capabilities": ["vision", "tools", "streaming"],
            "prices": { "input": 0.15, "output": 0.60, "cache_read": 0.075 } },
          { "id": "openai/text-only", "provider": "openai", "upstream_model": "text-only", "kind": "chat",
            "context_window": 8192, "max_output_tokens": 1024, "capabilities": ["streaming"],
            "prices": { "input": 0.10, "output": 0.20 } },
          { "id": "anthropic/text-only", "provider": "anthropic", "upstream_model": "text-only", "kind": "chat",
            "context_window": 8192, "max_output_tokens": 1024, "capabilities": ["streaming"],
            "prices": { "input": 0.10, "output": 0.20 } },
          { "id": "openai/dall-e-3", "provider": "openai", "upstream_model": "dall-e-3", "kind": "image",
            "capabilities": ["image_output"], "prices": { "input": 0, "output": 0 },
            "image_prices": [ { "quality": "standard", "size": "1024x1024", "per_image": 0.040 } ] }
        ] }
        """;

    public ServiceHost Simulator { get; private set; } = null!;
    public ServiceHost Management { get; private set; } = null!;
    public ServiceHost Router { get; private set; } = null!;
    public string ApiKey { get; } = "rqsty-sk-bad-input-" + Guid.NewGuid().ToString("N");
    private readonly TemporaryDirectory _files = new("router-bad-input-");

    public async Task InitializeAsync()
    {
        var key = new ApiKeyContext
        {
            KeyHash = KeyHasher.Hash(ApiKey),
            ApiKeyId = Guid.NewGuid(),
            OrganizationId = Guid.NewGuid(),
            UserId = Guid.NewGuid(),
            Permissions = ["chat"],
            Version = 1,
        };
        var catalogue = Path.Combine(_files.Path, "models.json");
        await File.WriteAllTextAsync(catalogue, Catalogue);
        Simulator = await ServiceHost.StartAsync(SimulatorApp.Build);
        Management = await ServiceHost.StartAsync(StubManagement.Build([key], TestServers.InternalToken));
        Router = await ServiceHost.StartAsync(RouterApp.Build,
        [
            .. TestServers.ServiceArgs(),
            $"--RabbitMq:Uri={TestServers.RabbitMqUri}",
            $"--Management:Url={Management.BaseAddress}",
            $"--Analytics:Url={Management.BaseAddress}",
            $"--Simulator:Url={Simulator.BaseAddress}",
            $"--Journal:Directory={Path.Combine(_files.Path, "journal")}",
            $"--Router:MaxRequestBodyBytes={MaxBodyBytes}",
            $"--Catalog:File={catalogue}",
        ]);
    }

    public async Task DisposeAsync()
    {
        await Router.DisposeAsync();
        await Management.DisposeAsync();
        await Simulator.DisposeAsync();
        _files.Dispose();
    }
}

public sealed class BadInputTests(BadInputRouter router) : IClassFixture<BadInputRouter>
{
    [Fact]
    public async Task Malformed_json_is_a_400_in_each_callers_format()
    {
        var openAI = await OpenAIErrorAsync(await PostAsync("v1/chat/completions", "{\"model\": \"openai/gpt-4o-mini\", \"messages\": ["), HttpStatusCode.BadRequest);
        Assert.Equal("invalid_json", openAI["code"]!.GetValue<string>());

        var anthropic = await AnthropicErrorAsync(await PostAsync("v1/messages", "not json at all"), HttpStatusCode.BadRequest);
        Assert.Equal("invalid_request_error", anthropic["type"]!.GetValue<string>());

        await AssertNothingReachedUpstreamAsync();
    }

    [Theory]
    [InlineData("v1/chat/completions", """{"model": "openai/gpt-4o-mini", "messages": [{"role": "user", "content": "half a pair: \ud83d!"}]}""")]
    [InlineData("v1/chat/completions", """{"model": "openai/gpt-4o-mini", "messages": [{"role": "user", "content": [{"type": "text", "text": "\udc4d"}]}]}""")]
    [InlineData("v1/responses", """{"model": "openai/gpt-4o-mini", "input": "\ud83d"}""")]
    [InlineData("v1/messages", """{"model": "anthropic/text-only", "max_tokens": 10, "messages": [{"role": "user", "content": "\ud83d"}]}""")]
    public async Task Half_a_surrogate_pair_is_a_400_in_each_callers_format_not_a_server_error(string path, string body)
    {
        // Valid JSON, but no text: before it was refused here, reading the message failed as a 500.
        var response = await PostAsync(path, body);

        var error = path == "v1/messages"
            ? await AnthropicErrorAsync(response, HttpStatusCode.BadRequest)
            : await OpenAIErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("surrogate", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        await AssertNothingReachedUpstreamAsync();
    }

    [Theory]
    [InlineData("""{"model": 123, "messages": [{"role": "user", "content": "hi"}]}""", "model")]
    [InlineData("""{"model": "openai/gpt-4o-mini", "messages": "hi"}""", "messages")]
    [InlineData("""{"model": "openai/gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}], "stream": "yes"}""", "stream")]
    [InlineData("""{"model": "openai/gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}], "max_tokens": "ten"}""", "max_tokens")]
    [InlineData("""{"model": "openai/gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}], "tools": {}}""", "tools")]
    [InlineData("""{"model": "openai/gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}], "temperature": "hot"}""", "temperature")]
    [InlineData("""{"model": "openai/gpt-4o-mini", "messages": [{"role": "wizard", "content": "hi"}]}""", "messages[0].role")]
    [InlineData("""{"model": "openai/gpt-4o-mini", "messages": [{"role": "user", "content": 42}]}""", "messages[0].content")]
    [InlineData("""{"model": "openai/gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}, "hello"]}""", "messages[1]")]
    [InlineData("""{"model": "openai/gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}, {"content": "no role"}]}""", "messages[1].role")]
    [InlineData("""{"model": "openai/gpt-4o-mini", "messages": [{"role": "user", "content": [{"type": "text", "text": "a"}, {"text": "b"}]}]}""", "messages[0].content[1]")]
    [InlineData("""{"model": "openai/gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": null, "tool_calls": {}}]}""", "messages[1].tool_calls")]
    [InlineData("""{"model": "openai/gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}], "tools": [{"type": "function"}]}""", "tools[0].function.name")]
    public async Task A_chat_field_of_the_wrong_type_is_a_400_naming_the_field(string body, string param)
    {
        var error = await OpenAIErrorAsync(await PostAsync("v1/chat/completions", body), HttpStatusCode.BadRequest);

        Assert.Equal(param, error["param"]!.GetValue<string>());
        Assert.Contains(param, error["message"]!.GetValue<string>());
        await AssertNothingReachedUpstreamAsync();
    }

    [Theory]
    [InlineData("""{"model": 123, "input": "hi"}""", "model")]
    [InlineData("""{"model": "openai/gpt-4o-mini", "input": 42}""", "input")]
    [InlineData("""{"model": "openai/gpt-4o-mini", "input": "hi", "stream": "yes"}""", "stream")]
    [InlineData("""{"model": "openai/gpt-4o-mini", "input": "hi", "max_output_tokens": "ten"}""", "max_output_tokens")]
    [InlineData("""{"model": "openai/gpt-4o-mini", "input": "hi", "tools": {}}""", "tools")]
    public async Task A_responses_field_of_the_wrong_type_is_a_400_naming_the_field(string body, string param)
    {
        var error = await OpenAIErrorAsync(await PostAsync("v1/responses", body), HttpStatusCode.BadRequest);

        Assert.Equal(param, error["param"]!.GetValue<string>());
        await AssertNothingReachedUpstreamAsync();
    }

    [Theory]
    [InlineData("""{"model": 123, "max_tokens": 10, "messages": [{"role": "user", "content": "hi"}]}""", "model")]
    [InlineData("""{"model": "anthropic/text-only", "max_tokens": 10, "messages": "hi"}""", "messages")]
    [InlineData("""{"model": "anthropic/text-only", "max_tokens": "ten", "messages": [{"role": "user", "content": "hi"}]}""", "max_tokens")]
    [InlineData("""{"model": "anthropic/text-only", "max_tokens": 10, "stream": "yes", "messages": [{"role": "user", "content": "hi"}]}""", "stream")]
    [InlineData("""{"model": "anthropic/text-only", "max_tokens": 10, "tools": {}, "messages": [{"role": "user", "content": "hi"}]}""", "tools")]
    [InlineData("""{"model": "anthropic/text-only", "max_tokens": 10, "system": 7, "messages": [{"role": "user", "content": "hi"}]}""", "system")]
    [InlineData("""{"model": "anthropic/text-only", "max_tokens": 10, "messages": [{"role": "user", "content": [{"text": "no type"}]}]}""", "messages.0.content.0")]
    public async Task A_messages_field_of_the_wrong_type_is_a_400_in_Anthropic_format_naming_the_field(string body, string field)
    {
        var error = await AnthropicErrorAsync(await PostAsync("v1/messages", body), HttpStatusCode.BadRequest);

        Assert.Equal("invalid_request_error", error["type"]!.GetValue<string>());
        Assert.StartsWith(field + ":", error["message"]!.GetValue<string>());
        await AssertNothingReachedUpstreamAsync();
    }

    [Fact]
    public async Task An_unknown_model_is_a_404_in_each_callers_format()
    {
        var openAI = await OpenAIErrorAsync(await PostAsync("v1/chat/completions",
            """{"model": "openai/no-such-model", "messages": [{"role": "user", "content": "hi"}]}"""), HttpStatusCode.NotFound);
        Assert.Equal("model", openAI["param"]!.GetValue<string>());
        Assert.Equal("model_not_found", openAI["code"]!.GetValue<string>());

        var anthropic = await AnthropicErrorAsync(await PostAsync("v1/messages",
            """{"model": "anthropic/no-such-model", "max_tokens": 10, "messages": [{"role": "user", "content": "hi"}]}"""), HttpStatusCode.NotFound);
        Assert.Equal("not_found_error", anthropic["type"]!.GetValue<string>());

        await AssertNothingReachedUpstreamAsync();
    }

    [Fact]
    public async Task A_missing_key_is_a_401_in_each_callers_format()
    {
        const string chat = """{"model": "openai/gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]}""";
        var openAI = await OpenAIErrorAsync(await PostAsync("v1/chat/completions", chat, apiKey: null), HttpStatusCode.Unauthorized);
        Assert.Equal("authentication_error", openAI["type"]!.GetValue<string>());

        var anthropic = await AnthropicErrorAsync(await PostAsync("v1/messages",
            """{"model": "anthropic/text-only", "max_tokens": 10, "messages": [{"role": "user", "content": "hi"}]}""", apiKey: null), HttpStatusCode.Unauthorized);
        Assert.Equal("authentication_error", anthropic["type"]!.GetValue<string>());

        await AssertNothingReachedUpstreamAsync();
    }

    [Theory]
    [InlineData("v1/chat/completions")]
    [InlineData("v1/responses")]
    [InlineData("v1/embeddings")]
    [InlineData("v1/images/generations")]
    public async Task A_body_just_over_the_limit_is_a_413_in_OpenAI_format(string path)
    {
        var error = await OpenAIErrorAsync(await PostAsync(path, OversizeChat()), HttpStatusCode.RequestEntityTooLarge);

        Assert.Equal("request_too_large", error["code"]!.GetValue<string>());
        Assert.Contains(BadInputRouter.MaxBodyBytes.ToString(), error["message"]!.GetValue<string>());
        await AssertNothingReachedUpstreamAsync();
    }

    [Fact]
    public async Task A_body_just_over_the_limit_is_a_413_in_Anthropic_format_on_messages()
    {
        var error = await AnthropicErrorAsync(await PostAsync("v1/messages", OversizeChat()), HttpStatusCode.RequestEntityTooLarge);

        Assert.Equal("request_too_large", error["type"]!.GetValue<string>());
        await AssertNothingReachedUpstreamAsync();
    }

    [Fact]
    public async Task A_chunked_body_that_crosses_the_limit_while_read_is_a_413_too()
    {
        using var client = Client(router.ApiKey);
        using var content = new ChunkedContent(Encoding.UTF8.GetBytes(OversizeChat()));
        using var response = await client.PostAsync("v1/chat/completions", content);

        var error = await OpenAIErrorAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("request_too_large", error["code"]!.GetValue<string>());
        await AssertNothingReachedUpstreamAsync();
    }

    [Fact]
    public async Task Images_for_a_model_without_vision_are_refused_with_the_part_named()
    {
        var openAI = await OpenAIErrorAsync(await PostAsync("v1/chat/completions", """
            {"model": "openai/text-only", "messages": [{"role": "user", "content": [
              {"type": "text", "text": "what is this?"},
              {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}}]}]}
            """), HttpStatusCode.BadRequest);
        Assert.Equal("messages[0].content[1]", openAI["param"]!.GetValue<string>());
        Assert.Equal("unsupported_content", openAI["code"]!.GetValue<string>());
        Assert.Contains("image", openAI["message"]!.GetValue<string>());

        var anthropic = await AnthropicErrorAsync(await PostAsync("v1/messages", """
            {"model": "anthropic/text-only", "max_tokens": 10, "messages": [{"role": "user", "content": [
              {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}},
              {"type": "text", "text": "what is this?"}]}]}
            """), HttpStatusCode.BadRequest);
        Assert.StartsWith("messages.0.content.0:", anthropic["message"]!.GetValue<string>());

        await AssertNothingReachedUpstreamAsync();
    }

    [Fact]
    public async Task Tools_for_a_model_without_tool_use_are_refused()
    {
        var openAI = await OpenAIErrorAsync(await PostAsync("v1/chat/completions", """
            {"model": "openai/text-only", "messages": [{"role": "user", "content": "weather?"}],
             "tools": [{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}}]}
            """), HttpStatusCode.BadRequest);
        Assert.Equal("tools", openAI["param"]!.GetValue<string>());
        Assert.Contains("tool", openAI["message"]!.GetValue<string>());

        var anthropic = await AnthropicErrorAsync(await PostAsync("v1/messages", """
            {"model": "anthropic/text-only", "max_tokens": 10, "messages": [{"role": "user", "content": "weather?"}],
             "tools": [{"name": "get_weather", "input_schema": {"type": "object"}}]}
            """), HttpStatusCode.BadRequest);
        Assert.StartsWith("tools:", anthropic["message"]!.GetValue<string>());

        await AssertNothingReachedUpstreamAsync();
    }

    [Fact]
    public async Task The_models_list_comes_from_the_configured_catalogue_file_with_capabilities_and_image_prices()
    {
        using var client = Client(router.ApiKey);
        var list = JsonNode.Parse(await client.GetStringAsync("v1/models"))!["data"]!.AsArray();

        Assert.Equal(["anthropic/text-only", "openai/dall-e-3", "openai/gpt-4o-mini", "openai/text-only"],
            list.Select(m => m!["id"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        var mini = list.Single(m => m!["id"]!.GetValue<string>() == "openai/gpt-4o-mini")!;
        Assert.Equal(["vision", "tools", "streaming"], mini["capabilities"]!.AsArray().Select(c => c!.GetValue<string>()));
        var dallE = list.Single(m => m!["id"]!.GetValue<string>() == "openai/dall-e-3")!;
        var price = Assert.Single(dallE["image_prices"]!.AsArray())!;
        Assert.Equal("1024x1024", price["size"]!.GetValue<string>());
        Assert.Equal(0.040m, price["per_image"]!.GetValue<decimal>());
    }

    private static string OversizeChat() =>
        $$"""{"model": "openai/gpt-4o-mini", "messages": [{"role": "user", "content": "{{new string('x', BadInputRouter.MaxBodyBytes)}}"}]}""";

    private HttpClient Client(string? apiKey)
    {
        var client = router.Router.CreateClient();
        if (apiKey is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    private async Task<HttpResponseMessage> PostAsync(string path, string body, string? apiKey = "")
    {
        using var client = Client(apiKey == "" ? router.ApiKey : apiKey);
        return await client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
    }

    private static async Task<JsonObject> OpenAIErrorAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(expected == response.StatusCode, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            var error = JsonNode.Parse(text)!["error"]!.AsObject();
            Assert.False(string.IsNullOrEmpty(error["message"]!.GetValue<string>()));
            Assert.False(string.IsNullOrEmpty(error["type"]!.GetValue<string>()));
            Assert.True(error.ContainsKey("param") && error.ContainsKey("code"), text);
            return error;
        }
    }

    private static async Task<JsonObject> AnthropicErrorAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(expected == response.StatusCode, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
            var body = JsonNode.Parse(text)!.AsObject();
            Assert.Equal("error", body["type"]!.GetValue<string>());
            var error = body["error"]!.AsObject();
            Assert.False(string.IsNullOrEmpty(error["message"]!.GetValue<string>()));
            return error;
        }
    }

    private async Task AssertNothingReachedUpstreamAsync()
    {
        using var client = router.Simulator.CreateClient();
        var requests = JsonNode.Parse(await client.GetStringAsync("__sim/requests?limit=100"))!.AsArray();
        Assert.Empty(requests);
    }

    /// <summary>A body sent with chunked transfer encoding (no Content-Length), so the limit is met while reading.</summary>
    private sealed class ChunkedContent(byte[] bytes) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            for (var offset = 0; offset < bytes.Length; offset += 1024)
            {
                await stream.WriteAsync(bytes.AsMemory(offset, Math.Min(1024, bytes.Length - offset)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
