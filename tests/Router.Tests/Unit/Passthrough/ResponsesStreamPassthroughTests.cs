using System.Text.Json.Nodes;
using Requesty.Router.Accounting;
using Requesty.Router.Catalog;
using Requesty.Router.Pipeline;
using Requesty.Router.Providers.OpenAIResponses;
using Requesty.Router.Tests.Unit.Golden;

namespace Requesty.Router.Tests.Unit.Passthrough;

/// <summary>
/// /v1/responses to an openai-responses model: the stream reaches the client as the upstream sent it but for the final
/// usage, which gets our cost; answer text, first token, tool calls, usage and failures are read off it on the way.
/// </summary>
public sealed class ResponsesStreamPassthroughTests
{
    private const string Upstream = """
        event: response.created
        data: {"type":"response.created","sequence_number":0,"response":{"id":"resp_1","status":"in_progress","output":[]}}

        event: response.output_text.delta
        data: {"type":"response.output_text.delta","sequence_number":1,"item_id":"msg_1","output_index":0,"content_index":0,"delta":"caf\u00e9 \"q\"\n"}

        event: response.output_text.delta
        data:{"delta":" <ünï>","type":"response.output_text.delta","sequence_number":2}

        event: response.function_call_arguments.delta
        data: {"type":"response.function_call_arguments.delta","sequence_number":3,"item_id":"fc_1","output_index":1,"delta":"{\"city\":"}

        event: response.output_item.done
        data: {"type":"response.output_item.done","sequence_number":4,"output_index":1,"item":{"type":"function_call","id":"fc_1","call_id":"call_9","name":"get_weather","arguments":"{\"city\":\"Oslo\"}"}}

        event: response.completed
        data: {"type":"response.completed","sequence_number":5,"response":{"id":"resp_1","status":"completed","usage":{"input_tokens":40,"input_tokens_details":{"cached_tokens":8},"output_tokens":12,"output_tokens_details":{"reasoning_tokens":2},"total_tokens":52}}}

        """;

    [Fact]
    public async Task The_stream_passes_through_with_our_cost_on_the_final_usage_and_is_accounted()
    {
        var model = BuiltInModels.All.First(m => m.Provider == OpenAIResponsesPassthrough.ProviderName);

        var (body, answer, record) = await RelayAsync(Upstream, model);

        var sent = Upstream.Split('\n');
        var received = body.Split('\n');
        Assert.Equal(sent.Length, received.Length);
        var completedLine = Array.FindIndex(sent, l => l.Contains("\"response.completed\"", StringComparison.Ordinal));
        for (var i = 0; i < sent.Length; i++)
            if (i != completedLine) Assert.Equal(sent[i], received[i]);
        var usage = JsonNode.Parse(received[completedLine]["data: ".Length..])!["response"]!["usage"]!;
        Assert.Equal(CostCalculator.Cost(record.Usage, model.Price), usage["cost"]!.GetValue<decimal>());
        Assert.Equal(12, usage["output_tokens"]!.GetValue<int>());

        Assert.Equal("café \"q\"\n <ünï>", answer);
        Assert.Equal(GoldenFiles.Now.UtcDateTime, record.FirstTokenAt);
        Assert.Equal(12, record.Usage.OutputTokens);
        Assert.Equal([("call_9", "get_weather", 15)], record.ToolCalls.Select(c => (c.Id, c.Name, c.ArgumentsBytes)));
        Assert.Equal(200, record.HttpStatus);
    }

    [Fact]
    public async Task A_failed_response_fails_the_request_and_lines_that_are_not_json_pass_through()
    {
        const string upstream = """
            data: not json
            data: {"type":"response.output_text.delta","delta":"Hel"}
            data: {"type":"response.failed","response":{"id":"resp_2","status":"failed","error":{"code":"server_error","message":"boom"}}}

            """;
        var model = BuiltInModels.All.First(m => m.Provider == OpenAIResponsesPassthrough.ProviderName);

        var (body, answer, record) = await RelayAsync(upstream, model);

        Assert.Equal(upstream, body);
        Assert.Equal("Hel", answer);
        Assert.Equal(502, record.HttpStatus);
        Assert.Equal("openai-responses: boom", record.ErrorMessage);
    }

    [Fact]
    public void The_delta_reader_tells_deltas_from_other_events()
    {
        Assert.Equal(new ResponsesDeltaEvent.Facts(true, "a\"b"), ResponsesDeltaEvent.Read("""{ "delta" : "a\"b", "type" : "response.output_text.delta" }"""u8));
        Assert.Equal(new ResponsesDeltaEvent.Facts(true, null), ResponsesDeltaEvent.Read("""{"type":"response.refusal.delta","delta":"no"}"""u8));
        Assert.Equal(new ResponsesDeltaEvent.Facts(true, null), ResponsesDeltaEvent.Read("""{"type":"response.reasoning_summary_text.delta","delta":"hm"}"""u8));
        Assert.False(ResponsesDeltaEvent.Read("""{"type":"response.completed","response":{"usage":{}}}"""u8).IsDelta);
        Assert.False(ResponsesDeltaEvent.Read("""{"type":3,"delta":"x"}"""u8).IsDelta);
        Assert.False(ResponsesDeltaEvent.Read("""{"delta":"x"}"""u8).IsDelta);
        Assert.False(ResponsesDeltaEvent.Read("""{"type":"response.output_text.delta","delta":"""u8).IsDelta);
    }

    private static async Task<(string Body, string? Answer, RequestRecord Record)> RelayAsync(string upstreamSse, CatalogModel model)
    {
        var (response, body) = GoldenFiles.Response();
        var record = GoldenFiles.Record("responses");
        var passthrough = new OpenAIResponsesPassthrough(new HttpClient(), new JsonObject { ["stream"] = true }, model, response, new FixedTime(GoldenFiles.Now));
        using var upstream = new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StringContent(upstreamSse) };
        var answer = await passthrough.RelayAsync(upstream, record, CancellationToken.None);
        return (GoldenFiles.Written(body), answer, record);
    }
}
