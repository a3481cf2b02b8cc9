using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Requesty.ProviderSimulator.Tests.Support;

namespace Requesty.ProviderSimulator.Tests.Control;

/// <summary>The /__sim/behaviour contract and the x-sim-behaviour header.</summary>
public class BehaviourControlTests(SimulatorFixture simulator) : IClassFixture<SimulatorFixture>, IAsyncLifetime
{
    private const string Chat = """{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]}""";

    public Task InitializeAsync() => simulator.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Rules_can_be_listed_and_reset()
    {
        await simulator.SetBehaviourAsync(new { provider = "openai", status = 500, count = 3 });
        using var client = simulator.CreateClient();

        var listed = (await client.GetFromJsonAsync<JsonArray>("__sim/behaviour"))!;
        Assert.Equal(3, listed.Single()!["remaining"]!.GetValue<int>());
        Assert.Equal(500, listed.Single()!["behaviour"]!["status"]!.GetValue<int>());

        Assert.Equal(HttpStatusCode.InternalServerError, (await client.SendAsync(RawHttp.OpenAI("v1/chat/completions", Chat))).StatusCode);
        Assert.Equal(2, (await client.GetFromJsonAsync<JsonArray>("__sim/behaviour"))!.Single()!["remaining"]!.GetValue<int>());

        await client.DeleteAsync("__sim/behaviour");
        Assert.Empty((await client.GetFromJsonAsync<JsonArray>("__sim/behaviour"))!);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(RawHttp.OpenAI("v1/chat/completions", Chat))).StatusCode);
    }

    [Fact]
    public async Task Later_rules_take_precedence_and_filters_match_provider_and_model()
    {
        await simulator.SetBehaviourAsync(new { status = 500 });
        await simulator.SetBehaviourAsync(new { provider = "openai", model = "gpt-4o", status = 418 });
        using var client = simulator.CreateClient();

        var openAi = await client.SendAsync(RawHttp.OpenAI("v1/chat/completions", Chat));
        var otherModel = await client.SendAsync(RawHttp.OpenAI("v1/chat/completions", """{"model":"gpt-4.1","messages":[{"role":"user","content":"Hi"}]}"""));

        Assert.Equal(418, (int)openAi.StatusCode);
        Assert.Equal(500, (int)otherModel.StatusCode);
    }

    [Fact]
    public async Task Invalid_rules_are_rejected_with_field_errors()
    {
        using var client = simulator.CreateClient();

        var response = await client.PutAsJsonAsync("__sim/behaviour", new { status = 99, count = 0 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.JsonAsync())["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("status") && errors.ContainsKey("count"));
    }

    [Fact]
    public async Task Header_behaviour_applies_to_that_request_only_and_wins_over_rules()
    {
        await simulator.SetBehaviourAsync(new { status = 500 });
        using var client = simulator.CreateClient();

        var withHeader = await client.SendAsync(RawHttp.OpenAI("v1/chat/completions", Chat, ("x-sim-behaviour", """{"output_tokens":42,"input_tokens":7,"cached_tokens":3}""")));
        var withoutHeader = await client.SendAsync(RawHttp.OpenAI("v1/chat/completions", Chat));

        Assert.Equal(HttpStatusCode.OK, withHeader.StatusCode);
        var usage = (await withHeader.JsonAsync())["usage"]!;
        Assert.Equal(7, usage["prompt_tokens"]!.GetValue<int>());
        Assert.Equal(42, usage["completion_tokens"]!.GetValue<int>());
        Assert.Equal(49, usage["total_tokens"]!.GetValue<int>());
        Assert.Equal(3, usage["prompt_tokens_details"]!["cached_tokens"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.InternalServerError, withoutHeader.StatusCode);
    }

    [Fact]
    public async Task Malformed_header_behaviour_is_a_400()
    {
        using var client = simulator.CreateClient();

        var response = await client.SendAsync(RawHttp.OpenAI("v1/chat/completions", Chat, ("x-sim-behaviour", "{not json")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Tool_call_behaviour_makes_an_unforced_model_call_a_tool()
    {
        using var client = simulator.CreateClient();
        var response = await client.SendAsync(RawHttp.OpenAI("v1/chat/completions", """
            {"model":"gpt-4o","messages":[{"role":"user","content":"Hello"}],
             "tools":[{"type":"function","function":{"name":"ping","parameters":{"type":"object","properties":{}}}}]}
            """, ("x-sim-behaviour", """{"tool_call":true}""")));

        var choice = (await response.JsonAsync())["choices"]![0]!;
        Assert.Equal("tool_calls", choice["finish_reason"]!.GetValue<string>());
        Assert.Equal("ping", choice["message"]!["tool_calls"]![0]!["function"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Latency_delays_the_whole_response()
    {
        using var client = simulator.CreateClient();
        var watch = Stopwatch.StartNew();

        var response = await client.SendAsync(RawHttp.OpenAI("v1/chat/completions", Chat, ("x-sim-behaviour", """{"latency_ms":300}""")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(watch.ElapsedMilliseconds >= 290, $"took {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Ttft_delays_the_first_content_chunk_after_the_headers()
    {
        // Measured on the simulator's own clock: a busy machine can make the client see the headers late, not the server
        // send them late. The tolerance covers timers firing up to a millisecond early.
        const int ttftMs = 300;
        using var client = simulator.CreateClient();
        var watch = Stopwatch.StartNew();
        using var response = await client.SendAsync(RawHttp.Anthropic("""
            {"model":"claude-haiku-4-5","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"Hi"}]}
            """, ("x-sim-behaviour", $$"""{"ttft_ms":{{ttftMs}},"chunk_delay_ms":5}""")), HttpCompletionOption.ResponseHeadersRead);
        var events = await Sse.ReadAllAsync(response);
        var clientElapsedMs = watch.ElapsedMilliseconds;

        var recorded = (await simulator.RecordedRequestsAsync()).Single()!;
        var headersSentAt = recorded["headers_sent_at"]!.GetValue<DateTimeOffset>();
        var firstContentAt = recorded["first_content_at"]!.GetValue<DateTimeOffset>();
        var ttft = (firstContentAt - headersSentAt).TotalMilliseconds;

        Assert.Contains(events, e => e.Name == "content_block_delta");
        Assert.True(ttft >= ttftMs - 5, $"first content {ttft} ms after the headers: sent early, or headers held back");
        Assert.True(ttft < ttftMs + 1000, $"first content {ttft} ms after the headers: delayed far beyond the ttft");
        // Lateness on the client only adds time, so this lower bound cannot be flaky.
        Assert.True(clientElapsedMs >= ttftMs - 5, $"the client had the whole stream after {clientElapsedMs} ms");
    }

    [Fact]
    public async Task Timeout_hangs_until_the_client_gives_up_and_the_simulator_keeps_serving()
    {
        using var impatient = simulator.CreateClient();
        impatient.Timeout = TimeSpan.FromMilliseconds(500);

        await Assert.ThrowsAnyAsync<TaskCanceledException>(() =>
            impatient.SendAsync(RawHttp.OpenAI("v1/chat/completions", Chat, ("x-sim-behaviour", """{"timeout":true}"""))));

        using var client = simulator.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(RawHttp.OpenAI("v1/chat/completions", Chat))).StatusCode);
    }

    [Fact]
    public async Task Chunk_delay_paces_the_stream()
    {
        using var client = simulator.CreateClient();
        var watch = Stopwatch.StartNew();
        using var response = await client.SendAsync(RawHttp.OpenAI("v1/chat/completions",
            """{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"Hi"}]}""",
            ("x-sim-behaviour", """{"chunk_delay_ms":40}""")), HttpCompletionOption.ResponseHeadersRead);
        var events = await Sse.ReadAllAsync(response);

        Assert.True(events.Count > 5);
        Assert.True(watch.ElapsedMilliseconds >= (events.Count - 1) * 40 - 10, $"{events.Count} events in {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Token_overrides_apply_to_anthropic_usage()
    {
        await simulator.SetBehaviourAsync(new { provider = "anthropic", input_tokens = 1000, output_tokens = 50, cached_tokens = 800 });
        using var client = simulator.CreateClient();

        var usage = (await (await client.SendAsync(RawHttp.Anthropic("""
            {"model":"claude-haiku-4-5","max_tokens":100,"messages":[{"role":"user","content":"Hi"}]}
            """))).JsonAsync())["usage"]!;

        Assert.Equal(1000, usage["input_tokens"]!.GetValue<int>());
        Assert.Equal(50, usage["output_tokens"]!.GetValue<int>());
        Assert.Equal(800, usage["cache_read_input_tokens"]!.GetValue<int>());
    }
}
