using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MassTransit;
using Requesty.Contracts.Events;
using Requesty.Contracts.Keys;
using Requesty.Contracts.Management;
using Requesty.TestKit;

namespace Requesty.Router.Tests.Integration;

/// <summary>
/// "policy/&lt;name&gt;" end to end: policies served by the stub management, the simulator forced to fail
/// the first entry, the client's view and the RequestCompleted event on the real RabbitMQ.
/// </summary>
public sealed class PoliciesTests : IAsyncLifetime
{
    private RouterHarness _harness = null!;
    private EventProbe<RequestCompleted> _events = null!;

    private static RoutingPolicy Policy(ApiKeyContext key, string name, string type, params RoutingPolicyEntry[] entries) => new()
    {
        OrganizationId = key.OrganizationId, Name = name, Type = type, Entries = entries, Version = 1,
    };

    private static RoutingPolicyEntry Entry(string model, int retries = 0, decimal weight = 1) => new() { Model = model, Retries = retries, Weight = weight };

    public async Task InitializeAsync()
    {
        _events = await EventProbe<RequestCompleted>.StartAsync();
        _harness = await RouterHarness.StartAsync(policies: key =>
        [
            Policy(key, "fb", "fallback", Entry("openai/gpt-4o", retries: 1), Entry("anthropic/claude-sonnet-4-5")),
            Policy(key, "strict", "fallback", Entry("openai/gpt-4o", retries: 3), Entry("openai/gpt-4o-mini")),
            Policy(key, "capable", "fallback", Entry("openai/text-embedding-3-small", retries: 2), Entry("openai/gpt-4o-mini")),
            Policy(key, "seeing", "fallback", Entry("deepseek/deepseek-chat"), Entry("openai/gpt-4o-mini")),
            Policy(key, "ab", "loadbalance", Entry("openai/gpt-4o", weight: 50), Entry("openai/gpt-4o-mini", weight: 50)),
            Policy(key, "embed", "fallback", Entry("openai/gpt-4o-mini"), Entry("openai/text-embedding-3-large"), Entry("openai/text-embedding-3-small")),
            Policy(key, "ha", "fallback", Entry("openai/gpt-4o"), Entry("anthropic/claude-sonnet-4-5")),
            Policy(key, "fastest", "latency", Entry("openai/gpt-4o"), Entry("openai/gpt-4o-mini")),
            Policy(key, "mini-first", "fallback", Entry("openai/gpt-4o-mini"), Entry("openai/gpt-4o")),
            Policy(key, "lb-of-fb", "loadbalance", Entry("policy/fb", weight: 1), Entry("policy/mini-first", weight: 1)),
            Policy(key, "split-ha", "loadbalance", Entry("openai/gpt-4o", weight: 50), Entry("anthropic/claude-sonnet-4-5", weight: 50)),
            Policy(key, "pictures", "fallback", Entry("openai/gpt-image-1"), Entry("openai/gpt-4o-mini"), Entry("openai/dall-e-3")),
        ], extraArgs: ["--Routing:FirstByteTimeoutSeconds=2"]);
        using var probe = _harness.Router.CreateClient();
        await Eventually.GetAsync(async () => (await probe.GetAsync("readyz")).IsSuccessStatusCode ? "ready" : null,
            TimeSpan.FromSeconds(30), "the router to load keys and policies");
    }

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
        await _events.DisposeAsync();
    }

    private async Task ForceAsync(object behaviour)
    {
        using var sim = _harness.Simulator.CreateClient();
        (await sim.PutAsJsonAsync("__sim/behaviour", behaviour)).EnsureSuccessStatusCode();
    }

    private async Task<HttpResponseMessage> ChatAsync(string model, bool stream = false, string? traceId = null)
    {
        using var client = _harness.CreateRouterClient();
        var body = new JsonObject
        {
            ["model"] = model,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "Hello there" }),
            ["stream"] = stream,
        };
        if (traceId is not null) body["requesty"] = new JsonObject { ["trace_id"] = traceId };
        return await client.PostAsJsonAsync("v1/chat/completions", body);
    }

    private Task<RequestCompleted> EventOf(HttpResponseMessage response)
    {
        var id = Guid.Parse(response.Headers.GetValues("x-request-id").Single());
        return _events.WaitForAsync(e => e.RequestId == id, TimeSpan.FromSeconds(30));
    }

    private static string Header(HttpResponseMessage response, string name) => response.Headers.GetValues(name).Single();

    [Fact]
    public async Task A_failing_first_entry_is_retried_with_backoff_then_the_second_entry_serves()
    {
        await ForceAsync(new { provider = "openai", model = "gpt-4o", status = 500, count = 2 });

        using var response = await ChatAsync("policy/fb");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("fb", Header(response, "x-requesty-policy"));
        Assert.Equal("anthropic/claude-sonnet-4-5", Header(response, "x-requesty-model"));
        Assert.Equal("anthropic", Header(response, "x-requesty-provider"));
        Assert.Equal("3", Header(response, "x-requesty-attempts"));
        Assert.Equal("chat.completion", JsonNode.Parse(body)!["object"]!.GetValue<string>());

        var completed = await EventOf(response);
        Assert.Equal("fb", completed.PolicyName);
        Assert.Equal("policy/fb", completed.RequestedModel);
        Assert.Equal("anthropic/claude-sonnet-4-5", completed.ServedModel);
        Assert.Equal([500, 500, 200], completed.Attempts.Select(a => a.HttpStatus));
        Assert.Equal(["openai/gpt-4o", "openai/gpt-4o", "anthropic/claude-sonnet-4-5"], completed.Attempts.Select(a => a.Model));
        Assert.True(completed.CostUsd > 0);
        Assert.Equal(200, completed.HttpStatus);
    }

    [Fact]
    public async Task A_provider_that_does_not_answer_times_out_and_the_next_entry_serves()
    {
        await ForceAsync(new { provider = "openai", model = "gpt-4o", timeout = true, count = 1 });

        using var response = await ChatAsync("policy/ha");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("anthropic/claude-sonnet-4-5", Header(response, "x-requesty-model"));
        var completed = await EventOf(response);
        Assert.Equal([0, 200], completed.Attempts.Select(a => a.HttpStatus));
        Assert.Equal("timeout", completed.Attempts[0].ErrorKind);
    }

    [Fact]
    public async Task With_one_provider_hard_down_every_request_under_load_succeeds()
    {
        await ForceAsync(new { provider = "openai", status = 503 });
        var requests = Enumerable.Range(0, 200).ToArray();
        var succeeded = 0;
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (_, _) =>
        {
            using var response = await ChatAsync("policy/ha");
            if (response.IsSuccessStatusCode && Header(response, "x-requesty-provider") == "anthropic") Interlocked.Increment(ref succeeded);
        });
        Assert.True(succeeded >= 200 * 0.999, $"{succeeded} of 200 succeeded");
    }

    [Fact]
    public async Task A_load_balanced_policy_with_one_entry_hard_down_still_serves_every_request()
    {
        await ForceAsync(new { provider = "openai", status = 500 });
        const int total = 1_000;
        var succeeded = 0;
        var failedOver = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, total), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            using var response = await ChatAsync("policy/split-ha", traceId: $"load-{i}");
            if (!response.IsSuccessStatusCode || Header(response, "x-requesty-model") != "anthropic/claude-sonnet-4-5") return;
            Interlocked.Increment(ref succeeded);
            // Picked the dead entry first, then fell over to the other one.
            if (Header(response, "x-requesty-attempts") == "2") Interlocked.Increment(ref failedOver);
        });

        Assert.True(succeeded >= total * 0.999, $"{succeeded} of {total} succeeded");
        // About half the traces pick the dead entry; every one of them must have been rescued by the other entry.
        Assert.InRange(failedOver, total / 4, total * 3 / 4);
    }

    [Fact]
    public async Task The_images_endpoint_takes_policies_and_falls_back_across_image_models()
    {
        await ForceAsync(new { provider = "openai", model = "gpt-image-1", status = 500, count = 1 });
        using var client = _harness.CreateRouterClient();

        using var response = await client.PostAsJsonAsync("v1/images/generations",
            new { model = "policy/pictures", prompt = "A lighthouse", size = "1024x1024", response_format = "b64_json" });
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(answer["data"]![0]!["b64_json"]);
        Assert.Equal("pictures", Header(response, "x-requesty-policy"));
        Assert.Equal("openai/dall-e-3", Header(response, "x-requesty-model"));
        var completed = await EventOf(response);
        Assert.Equal("images.generations", completed.Endpoint);
        Assert.Equal("policy/pictures", completed.RequestedModel);
        // gpt-4o-mini is not an image model: skipped without a call.
        Assert.Equal(["openai/gpt-image-1", "openai/dall-e-3"], completed.Attempts.Select(a => a.Model));
        Assert.Equal([500, 200], completed.Attempts.Select(a => a.HttpStatus));
        Assert.Equal(0.040m, completed.CostUsd); // dall-e-3 per image, standard 1024x1024; the failed try costs nothing

        // gpt-image models answer b64_json only: a request for urls skips them and goes to dall-e-3 at once.
        using var urls = await client.PostAsJsonAsync("v1/images/generations", new { model = "policy/pictures", prompt = "A boat", response_format = "url" });
        Assert.Equal(HttpStatusCode.OK, urls.StatusCode);
        Assert.NotNull(JsonNode.Parse(await urls.Content.ReadAsStringAsync())!["data"]![0]!["url"]);
        Assert.Equal("openai/dall-e-3", Header(urls, "x-requesty-model"));
        Assert.Equal("1", Header(urls, "x-requesty-attempts"));
    }

    [Fact]
    public async Task A_non_retryable_error_skips_to_the_next_entry_without_retrying()
    {
        await ForceAsync(new { provider = "openai", model = "gpt-4o", status = 400, count = 5 });

        using var response = await ChatAsync("policy/strict");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("openai/gpt-4o-mini", Header(response, "x-requesty-model"));
        Assert.Equal("2", Header(response, "x-requesty-attempts"));
        var completed = await EventOf(response);
        Assert.Equal([400, 200], completed.Attempts.Select(a => a.HttpStatus));
    }

    [Fact]
    public async Task Entries_that_cannot_serve_the_request_are_skipped_without_a_call()
    {
        using var sim = _harness.Simulator.CreateClient();
        (await sim.DeleteAsync("__sim/requests")).EnsureSuccessStatusCode();

        using var response = await ChatAsync("policy/capable");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("openai/gpt-4o-mini", Header(response, "x-requesty-model"));
        Assert.Equal("1", Header(response, "x-requesty-attempts"));
        var sent = JsonNode.Parse(await sim.GetStringAsync("__sim/requests?limit=10"))!.AsArray();
        var upstream = Assert.Single(sent)!;
        Assert.Equal("gpt-4o-mini", upstream["body"]!["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_every_entry_fails_the_client_gets_the_last_error_with_all_attempts()
    {
        await ForceAsync(new { provider = "openai", model = "gpt-4o", status = 503 });
        await ForceAsync(new { provider = "anthropic", model = "claude-sonnet-4-5", status = 429, retry_after_s = 1 });

        using var response = await ChatAsync("policy/fb");
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("3", Header(response, "x-requesty-attempts"));
        Assert.Equal("fb", Header(response, "x-requesty-policy"));
        var message = error["message"]!.GetValue<string>();
        Assert.Contains("policy/fb: all 3 attempts failed", message);
        Assert.Contains("openai/gpt-4o -> 503; openai/gpt-4o -> 503; anthropic/claude-sonnet-4-5 -> 429", message);

        var completed = await EventOf(response);
        Assert.Equal(429, completed.HttpStatus);
        Assert.Equal("error", completed.Status);
        Assert.Equal(3, completed.Attempts.Count);
        Assert.Equal(0m, completed.CostUsd);
        Assert.Null(completed.ServedModel);
    }

    [Fact]
    public async Task A_stream_fails_over_before_its_first_byte()
    {
        await ForceAsync(new { provider = "openai", model = "gpt-4o", status = 429, count = 2 });

        using var response = await ChatAsync("policy/fb", stream: true);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("anthropic/claude-sonnet-4-5", Header(response, "x-requesty-model"));
        Assert.EndsWith("data: [DONE]", text.TrimEnd());
        var completed = await EventOf(response);
        Assert.True(completed.Stream);
        Assert.Equal([429, 429, 200], completed.Attempts.Select(a => a.HttpStatus));
        Assert.NotNull(completed.FirstTokenAt);
    }

    [Fact]
    public async Task The_messages_endpoint_takes_policies_too()
    {
        await ForceAsync(new { provider = "openai", model = "gpt-4o", status = 502, count = 2 });
        using var client = _harness.CreateRouterClient();
        using var response = await client.PostAsJsonAsync("v1/messages", new
        {
            model = "policy/fb",
            max_tokens = 64,
            messages = new[] { new { role = "user", content = "Hi" } },
        });
        var message = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("message", message["type"]!.GetValue<string>());
        Assert.Equal("anthropic/claude-sonnet-4-5", Header(response, "x-requesty-model"));
        Assert.Equal("3", Header(response, "x-requesty-attempts"));
    }

    [Fact]
    public async Task The_responses_endpoint_takes_policies_too()
    {
        await ForceAsync(new { provider = "openai", model = "gpt-4o", status = 500, count = 2 });
        using var client = _harness.CreateRouterClient();
        using var response = await client.PostAsJsonAsync("v1/responses", new { model = "policy/fb", input = "Hi" });
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("response", answer["object"]!.GetValue<string>());
        Assert.Equal("anthropic/claude-sonnet-4-5", Header(response, "x-requesty-model"));
        var completed = await EventOf(response);
        Assert.Equal([500, 500, 200], completed.Attempts.Select(a => a.HttpStatus));
    }

    [Fact]
    public async Task The_embeddings_endpoint_takes_policies_and_skips_models_of_another_kind()
    {
        await ForceAsync(new { provider = "openai", model = "text-embedding-3-large", status = 503, count = 1 });
        using var client = _harness.CreateRouterClient();
        using var response = await client.PostAsJsonAsync("v1/embeddings", new { model = "policy/embed", input = "Hi" });
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("list", answer["object"]!.GetValue<string>());
        Assert.Equal("openai/text-embedding-3-small", Header(response, "x-requesty-model"));
        var completed = await EventOf(response);
        Assert.Equal(["openai/text-embedding-3-large", "openai/text-embedding-3-small"], completed.Attempts.Select(a => a.Model));
    }

    [Fact]
    public async Task Load_balancing_keeps_a_trace_on_one_entry_and_spreads_different_traces()
    {
        var first = Header(await ChatAsync("policy/ab", traceId: "user-12345"), "x-requesty-model");
        for (var i = 0; i < 10; i++)
            Assert.Equal(first, Header(await ChatAsync("policy/ab", traceId: "user-12345"), "x-requesty-model"));

        var served = new HashSet<string>();
        for (var i = 0; i < 16; i++) served.Add(Header(await ChatAsync("policy/ab", traceId: $"user-{i}"), "x-requesty-model"));
        Assert.Equal(["openai/gpt-4o", "openai/gpt-4o-mini"], served.Order());

        // Load balancing over fallback policies: each side's chain starts with a different model, and both sides get traffic.
        var nested = new HashSet<string>();
        for (var i = 0; i < 16; i++) nested.Add(Header(await ChatAsync("policy/lb-of-fb", traceId: $"t-{i}"), "x-requesty-model"));
        Assert.Equal(["openai/gpt-4o", "openai/gpt-4o-mini"], nested.Order());
    }

    [Fact]
    public async Task Latency_routing_sends_traffic_to_the_faster_entry()
    {
        await ForceAsync(new { provider = "openai", model = "gpt-4o", latency_ms = 600 });
        // With no data yet, entries go in their listed order.
        Assert.Equal("openai/gpt-4o", Header(await ChatAsync("policy/fastest"), "x-requesty-model"));

        // Every served request feeds the organisation's rolling window, whatever model name it used.
        for (var i = 0; i < 5; i++)
        {
            (await ChatAsync("openai/gpt-4o")).EnsureSuccessStatusCode();
            (await ChatAsync("openai/gpt-4o-mini")).EnsureSuccessStatusCode();
        }
        // A request's latency is recorded just after its answer went out, so the last sample may trail the client a moment.
        using var client = _harness.CreateRouterClient();
        await Eventually.GetAsync(async () =>
        {
            var explained = JsonNode.Parse(await (await client.PostAsJsonAsync("v1/route/explain", new
            {
                model = "policy/fastest",
                messages = new[] { new { role = "user", content = "Hello" } },
            })).Content.ReadAsStringAsync())!;
            return explained["chosen"]?["model"]?.GetValue<string>() == "openai/gpt-4o-mini" ? "measured" : null;
        }, TimeSpan.FromSeconds(10), "the latency samples of both entries to be recorded");

        for (var i = 0; i < 5; i++)
            Assert.Equal("openai/gpt-4o-mini", Header(await ChatAsync("policy/fastest"), "x-requesty-model"));
    }

    [Fact]
    public async Task Route_explain_shows_the_decision_without_calling_a_provider()
    {
        using var sim = _harness.Simulator.CreateClient();
        (await sim.DeleteAsync("__sim/requests")).EnsureSuccessStatusCode();
        using var client = _harness.CreateRouterClient();

        var explained = JsonNode.Parse(await (await client.PostAsJsonAsync("v1/route/explain", new
        {
            model = "policy/capable",
            messages = new[] { new { role = "user", content = "Hello" } },
        })).Content.ReadAsStringAsync())!;
        Assert.Equal("capable", explained["policy"]!.GetValue<string>());
        Assert.Equal("openai/gpt-4o-mini", explained["chosen"]!["model"]!.GetValue<string>());
        Assert.False(explained["candidates"]![0]!["eligible"]!.GetValue<bool>());
        Assert.Equal("not a chat model", explained["candidates"]![0]!["skip_reason"]!.GetValue<string>());
        Assert.True(explained["candidates"]![1]!["eligible"]!.GetValue<bool>());

        var balanced = JsonNode.Parse(await (await client.PostAsJsonAsync("v1/route/explain", new
        {
            model = "policy/ab",
            messages = new[] { new { role = "user", content = "Hello" } },
            requesty = new { trace_id = "user-7" },
        })).Content.ReadAsStringAsync())!;
        Assert.Contains("load balancing picked", balanced["notes"]![0]!.GetValue<string>());
        Assert.Empty(JsonNode.Parse(await sim.GetStringAsync("__sim/requests?limit=10"))!.AsArray());

        // The real request with the same trace id goes where explain said.
        Assert.Equal(balanced["chosen"]!["model"]!.GetValue<string>(), Header(await ChatAsync("policy/ab", traceId: "user-7"), "x-requesty-model"));

        using var anonymous = _harness.Router.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("v1/route/explain", new { model = "policy/ab" })).StatusCode);
    }

    [Fact]
    public async Task Route_explain_reads_the_body_of_the_endpoint_it_is_told()
    {
        using var client = _harness.CreateRouterClient();
        async Task<JsonNode> ExplainAsync(string endpoint, object body) =>
            JsonNode.Parse(await (await client.PostAsJsonAsync($"v1/route/explain?endpoint={endpoint}", body)).Content.ReadAsStringAsync())!;

        // An Anthropic image block needs vision: deepseek-chat (no vision) is skipped only when the body is read as Messages.
        var messages = await ExplainAsync("messages", new
        {
            model = "policy/seeing", max_tokens = 10,
            messages = new[] { new { role = "user", content = new object[] { new { type = "image", source = new { type = "url", url = "http://x/y.png" } } } } },
        });
        Assert.Equal("no vision support", messages["candidates"]![0]!["skip_reason"]!.GetValue<string>());
        Assert.Equal("openai/gpt-4o-mini", messages["chosen"]!["model"]!.GetValue<string>());

        // "capable" starts with an embedding model: skipped for chat-like bodies, chosen for an embeddings body.

        var responses = await ExplainAsync("responses", new { model = "policy/capable", input = "hello" });
        Assert.Equal("openai/gpt-4o-mini", responses["chosen"]!["model"]!.GetValue<string>());

        var embeddings = await ExplainAsync("embeddings", new { model = "policy/capable", input = "hello" });
        Assert.True(embeddings["candidates"]![0]!["eligible"]!.GetValue<bool>());
        Assert.Equal(embeddings["candidates"]![0]!["model"]!.GetValue<string>(), embeddings["chosen"]!["model"]!.GetValue<string>());

        using var unknown = await client.PostAsJsonAsync("v1/route/explain?endpoint=moderations", new { model = "policy/capable" });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal("endpoint", JsonNode.Parse(await unknown.Content.ReadAsStringAsync())!["error"]!["param"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unknown_policies_are_404_in_the_callers_format()
    {
        using var response = await ChatAsync("policy/nope");
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("model_not_found", error["code"]!.GetValue<string>());

        using var other = _harness.Router.CreateClient();
        other.DefaultRequestHeaders.Authorization = new("Bearer", _harness.OtherOrganizationApiKey);
        using var foreign = await other.PostAsJsonAsync("v1/chat/completions", new { model = "policy/fb", messages = new[] { new { role = "user", content = "x" } } });
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
    }

    [Fact]
    public async Task A_policy_change_event_takes_effect_without_restart()
    {
        Assert.Equal("openai/gpt-4o", Header(await ChatAsync("policy/fb"), "x-requesty-model"));

        var bus = Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host(new Uri(TestServers.RabbitMqUri)));
        await bus.StartAsync();
        try
        {
            await bus.Publish(new PolicyUpserted
            {
                Policy = Policy(_harness.Key, "fb", "fallback", Entry("google/gemini-2.5-flash")) with { Version = 2 },
                OccurredAt = DateTime.UtcNow,
            });
            var served = await Eventually.GetAsync(async () =>
            {
                var model = Header(await ChatAsync("policy/fb"), "x-requesty-model");
                return model == "google/gemini-2.5-flash" ? model : null;
            }, TimeSpan.FromSeconds(10), "the router to apply the policy change");
            Assert.Equal("google/gemini-2.5-flash", served);

            await bus.Publish(new PolicyDeleted { OrganizationId = _harness.Key.OrganizationId, Name = "fb", Version = 3, OccurredAt = DateTime.UtcNow });
            await Eventually.GetAsync(async () => (await ChatAsync("policy/fb")).StatusCode == HttpStatusCode.NotFound ? "gone" : null,
                TimeSpan.FromSeconds(10), "the router to drop the deleted policy");
        }
        finally
        {
            await bus.StopAsync();
        }
    }
}

/// <summary>An answer that breaks off after it started reaching the client: no failover, and the event records the failure.</summary>
public sealed class BrokenStreamTests : IAsyncLifetime
{
    private RouterHarness _harness = null!;
    private EventProbe<RequestCompleted> _events = null!;

    public async Task InitializeAsync()
    {
        _events = await EventProbe<RequestCompleted>.StartAsync();
        _harness = await RouterHarness.StartAsync(
            policies: key =>
            [
                new RoutingPolicy
                {
                    OrganizationId = key.OrganizationId, Name = "fb", Type = "fallback", Version = 1,
                    Entries = [new() { Model = "openai/gpt-4o-mini", Retries = 2 }, new() { Model = "openai/gpt-4o" }],
                },
            ],
            extraArgs: ["--Router:UpstreamTimeoutSeconds=1"]);
        using var probe = _harness.Router.CreateClient();
        await Eventually.GetAsync(async () => (await probe.GetAsync("readyz")).IsSuccessStatusCode ? "ready" : null,
            TimeSpan.FromSeconds(30), "the router to load keys and policies");
        using var sim = _harness.Simulator.CreateClient();
        // Headers and the stream's start go out at once; the first content event would come after the router's upstream timeout.
        (await sim.PutAsJsonAsync("__sim/behaviour", new { provider = "openai", model = "gpt-4o-mini", ttft_ms = 4000 })).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
        await _events.DisposeAsync();
    }

    [Theory]
    [InlineData("openai/gpt-4o-mini")]
    [InlineData("policy/fb")]
    public async Task A_stream_that_breaks_off_after_its_start_is_recorded_as_failed_without_failover(string model)
    {
        using var client = _harness.CreateRouterClient();
        using var response = await client.PostAsJsonAsync("v1/chat/completions", new
        {
            model,
            stream = true,
            messages = new[] { new { role = "user", content = "Tell me a story" } },
        });
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("[DONE]", text);
        Assert.Equal("openai/gpt-4o-mini", response.Headers.GetValues("x-requesty-model").Single());

        var id = Guid.Parse(response.Headers.GetValues("x-request-id").Single());
        var completed = await _events.WaitForAsync(e => e.RequestId == id, TimeSpan.FromSeconds(30));
        Assert.Equal("error", completed.Status);
        Assert.Equal(504, completed.HttpStatus);
        Assert.Equal("timeout", completed.ErrorKind);
        var attempt = Assert.Single(completed.Attempts);
        Assert.Equal("timeout", attempt.ErrorKind);
        Assert.Equal(0m, completed.CostUsd);
    }
}
