using System.Text.Json.Nodes;
using Requesty.Router.Providers.Google;

namespace Requesty.Router.Tests.Unit;

public class GeminiMappingTests
{
    [Fact]
    public void A_conversation_with_tools_maps_to_contents_system_instruction_and_function_declarations()
    {
        var request = GeminiRequestMapper.FromOpenAIChat(JsonNode.Parse("""
            {"messages":[
              {"role":"system","content":"Be brief."},
              {"role":"user","content":"Weather in Paris?"},
              {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"weather","arguments":"{\"city\":\"Paris\"}"}}]},
              {"role":"tool","tool_call_id":"call_1","content":"18C"}],
             "tools":[{"type":"function","function":{"name":"weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}],
             "tool_choice":"required","max_tokens":200,"response_format":{"type":"json_object"}}
            """)!.AsObject());

        Assert.Equal("Be brief.", request["systemInstruction"]!["parts"]![0]!["text"]!.GetValue<string>());
        var contents = request["contents"]!.AsArray();
        Assert.Equal(["user", "model", "user"], contents.Select(c => c!["role"]!.GetValue<string>()));
        Assert.Equal("Paris", contents[1]!["parts"]![0]!["functionCall"]!["args"]!["city"]!.GetValue<string>());
        Assert.Equal("weather", contents[2]!["parts"]![0]!["functionResponse"]!["name"]!.GetValue<string>());
        Assert.Equal("weather", request["tools"]![0]!["functionDeclarations"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("ANY", request["toolConfig"]!["functionCallingConfig"]!["mode"]!.GetValue<string>());
        Assert.Equal(200, request["generationConfig"]!["maxOutputTokens"]!.GetValue<int>());
        Assert.Equal("application/json", request["generationConfig"]!["responseMimeType"]!.GetValue<string>());
    }

    [Fact]
    public void Usage_keeps_cached_tokens_apart_and_bills_thinking_as_output()
    {
        var usage = GeminiResponseMapper.ReadUsage(JsonNode.Parse("""
            {"promptTokenCount":1000,"cachedContentTokenCount":600,"candidatesTokenCount":50,"thoughtsTokenCount":30,"totalTokenCount":1080}
            """));

        Assert.NotNull(usage);
        Assert.Equal((400, 600, 80, 30), (usage.InputTokens, usage.CacheReadTokens, usage.OutputTokens, usage.ReasoningTokens));
    }

    [Fact]
    public void Function_calls_in_a_response_become_tool_calls()
    {
        var completion = GeminiResponseMapper.ToOpenAIChat(JsonNode.Parse("""
            {"candidates":[{"index":0,"content":{"role":"model","parts":[{"functionCall":{"name":"weather","args":{"city":"Rome"}}}]},"finishReason":"STOP"}],
             "usageMetadata":{"promptTokenCount":10,"candidatesTokenCount":5}}
            """)!, "google/gemini-2.5-flash", DateTimeOffset.UnixEpoch, out _);

        var choice = completion["choices"]![0]!;
        Assert.Equal("tool_calls", choice["finish_reason"]!.GetValue<string>());
        Assert.Equal("weather", choice["message"]!["tool_calls"]![0]!["function"]!["name"]!.GetValue<string>());
    }
}
