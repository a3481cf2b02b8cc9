using System.ClientModel;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using OpenAI.Chat;
using Requesty.Router.Accounting;
using Requesty.Router.Catalog;

namespace Requesty.Router.Tests.Integration;

/// <summary>The official OpenAI .NET SDK against the router, with the simulator upstream and real RabbitMQ.</summary>
public sealed class ChatCompletionsTests : RouterWithEvents
{

    private ChatClient Client(string model = "openai/gpt-4o-mini") => new(model, new ApiKeyCredential(Harness.ApiKey), Harness.OpenAIOptions());

    [Fact]
    public async Task A_chat_completion_arrives_and_is_published_with_usage_and_exact_cost()
    {
        ChatCompletion completion = await Client().CompleteChatAsync([new UserChatMessage("Hello router")]);

        Assert.Contains("simulator", completion.Content[0].Text, StringComparison.OrdinalIgnoreCase);
        var published = await Events.WaitForAsync(e => e.Caller.ApiKeyId == Harness.Key.ApiKeyId);
        Assert.Equal("openai/gpt-4o-mini", published.ServedModel);
        Assert.Equal("openai", published.ServedProvider);
        Assert.Equal("success", published.Status);
        Assert.False(published.Stream);
        Assert.Equal(completion.Usage.OutputTokenCount, published.Usage.OutputTokens);
        Assert.Equal(completion.Usage.InputTokenCount, published.Usage.InputTokens + published.Usage.CacheReadTokens);
        Assert.True(published.Usage.OutputTokens > 0);
        var price = BuiltInModels.All.Single(m => m.Id == "openai/gpt-4o-mini").Price;
        Assert.Equal(CostCalculator.Cost(published.Usage, price), published.CostUsd);
        Assert.True(published.CostUsd > 0m);
        Assert.Equal(Harness.Key.OrganizationId, published.Caller.OrganizationId);
        Assert.Single(published.Attempts);
    }

    [Fact]
    public async Task A_streamed_chat_completion_is_assembled_and_its_usage_is_counted()
    {
        var text = new StringBuilder();
        ChatTokenUsage? usage = null;
        await foreach (var update in Client().CompleteChatStreamingAsync([new UserChatMessage("Stream to me")]))
        {
            foreach (var part in update.ContentUpdate) text.Append(part.Text);
            usage ??= update.Usage;
        }

        Assert.Contains("simulator", text.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.NotNull(usage);
        var published = await Events.WaitForAsync(e => e.Caller.ApiKeyId == Harness.Key.ApiKeyId);
        Assert.True(published.Stream);
        Assert.Equal(usage.OutputTokenCount, published.Usage.OutputTokens);
        Assert.True(published.CostUsd > 0m);
        Assert.NotNull(published.TimeToFirstTokenMs);
    }

    [Fact]
    public async Task A_stream_that_did_not_ask_for_usage_gets_none_while_upstream_is_asked_for_it()
    {
        using var http = Harness.CreateRouterClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = JsonContent.Create(new { model = "openai/gpt-4o-mini", stream = true, messages = new[] { new { role = "user", content = "hi" } } }),
        };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/event-stream", response.Content.Headers.ContentType!.ToString());
        Assert.EndsWith("data: [DONE]\n\n", body);
        Assert.DoesNotContain("\"usage\":{", body);
        var upstream = await LastUpstreamBodyAsync();
        Assert.Equal(true, upstream["stream_options"]?["include_usage"]?.GetValue<bool>());
        var published = await Events.WaitForAsync(e => e.Caller.ApiKeyId == Harness.Key.ApiKeyId);
        Assert.True(published.Usage.OutputTokens > 0);
    }

    [Fact]
    public async Task The_requesty_object_is_stripped_and_the_provider_gets_its_own_model_name()
    {
        using var http = Harness.CreateRouterClient();
        using var response = await http.PostAsJsonAsync("v1/chat/completions", new
        {
            model = "openai/gpt-4o",
            messages = new[] { new { role = "user", content = "tag me" } },
            requesty = new { tags = new[] { "beta" }, trace_id = "trace-7", extra = new { feature = "search" } },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var upstream = await LastUpstreamBodyAsync();
        Assert.Null(upstream["requesty"]);
        Assert.Equal("gpt-4o", upstream["model"]?.GetValue<string>());
        var published = await Events.WaitForAsync(e => e.Caller.ApiKeyId == Harness.Key.ApiKeyId);
        Assert.Equal(["beta"], published.Metadata.Tags);
        Assert.Equal("trace-7", published.Metadata.TraceId);
        Assert.Equal("search", published.Metadata.Extra["feature"]);
        Assert.Equal(response.Headers.GetValues("x-request-id").Single(), published.RequestId.ToString());
    }

    [Fact]
    public async Task Wrong_or_missing_keys_get_401_in_openai_format()
    {
        using var http = Harness.Router.CreateClient();
        using var missing = await http.PostAsJsonAsync("v1/chat/completions", new { model = "openai/gpt-4o-mini", messages = Array.Empty<object>() });
        http.DefaultRequestHeaders.Authorization = new("Bearer", "rqsty-sk-not-a-key");
        using var wrong = await http.PostAsJsonAsync("v1/chat/completions", new { model = "openai/gpt-4o-mini", messages = Array.Empty<object>() });

        foreach (var response in new[] { missing, wrong })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
            Assert.Equal("authentication_error", error["type"]!.GetValue<string>());
            Assert.False(string.IsNullOrEmpty(error["message"]!.GetValue<string>()));
        }
    }

    [Fact]
    public async Task Bad_requests_get_clear_openai_errors()
    {
        using var http = Harness.CreateRouterClient();
        using var unknownModel = await http.PostAsJsonAsync("v1/chat/completions", new { model = "nope/model", messages = new[] { new { role = "user", content = "x" } } });
        using var notJson = await http.PostAsync("v1/chat/completions", new StringContent("{not json", Encoding.UTF8, "application/json"));
        using var noMessages = await http.PostAsJsonAsync("v1/chat/completions", new { model = "openai/gpt-4o-mini" });

        Assert.Equal(HttpStatusCode.NotFound, unknownModel.StatusCode);
        Assert.Equal("model_not_found", JsonNode.Parse(await unknownModel.Content.ReadAsStringAsync())!["error"]!["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noMessages.StatusCode);
        Assert.Equal("messages", JsonNode.Parse(await noMessages.Content.ReadAsStringAsync())!["error"]!["param"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_upstream_429_reaches_the_client_with_retry_after_and_costs_nothing()
    {
        using var sim = Harness.Simulator.CreateClient();
        (await sim.PutAsJsonAsync("__sim/behaviour", new { provider = "openai", status = 429, count = 1, retry_after_s = 3 })).EnsureSuccessStatusCode();

        var ex = await Assert.ThrowsAsync<ClientResultException>(() => Client().CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(429, ex.Status);
        Assert.Equal("3", ex.GetRawResponse()!.Headers.TryGetValue("retry-after", out var retryAfter) ? retryAfter : null);
        var published = await Events.WaitForAsync(e => e.Caller.ApiKeyId == Harness.Key.ApiKeyId);
        Assert.Equal("error", published.Status);
        Assert.Equal("rate_limit", published.ErrorKind);
        Assert.Equal(0m, published.CostUsd);
        Assert.Equal(429, published.Attempts.Single().HttpStatus);
    }

    [Fact]
    public async Task Stream_events_reach_the_client_as_the_upstream_sends_them_not_at_the_end()
    {
        await PacedStream.AssertArrivesEventByEventAsync(Harness, "openai", "v1/chat/completions", new { model = "openai/gpt-4o-mini", stream = true, messages = new[] { new { role = "user", content = "Stream slowly" } } });
    }

    [Fact]
    public async Task A_translated_stream_reaches_the_client_as_the_upstream_sends_it_not_at_the_end()
    {
        // An Anthropic model answering a chat-completions client: the output holds the chunks it writes until each upstream read ends.
        await PacedStream.AssertArrivesEventByEventAsync(Harness, "anthropic", "v1/chat/completions", new { model = "anthropic/claude-sonnet-4-5", stream = true, messages = new[] { new { role = "user", content = "Stream slowly" } } });
    }
}
