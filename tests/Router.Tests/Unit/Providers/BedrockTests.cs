using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Requesty.Router.Providers;
using Requesty.Router.Providers.Bedrock;

namespace Requesty.Router.Tests.Unit.Providers;

public sealed class BedrockTests
{
    // AWS Signature Version 4 test suite credentials and time (get-vanilla, post-vanilla, ...).
    private static readonly AwsCredentials SuiteCredentials = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    private const string EmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    [Theory]
    [InlineData("GET", "https://example.amazonaws.com/", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")]
    [InlineData("GET", "https://example.amazonaws.com/?Param2=value2&Param1=value1", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")]
    [InlineData("POST", "https://example.amazonaws.com/", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b")]
    public void SigV4_matches_the_published_aws_test_vectors(string method, string url, string signature)
    {
        var headers = new Dictionary<string, string> { ["host"] = "example.amazonaws.com", ["x-amz-date"] = "20150830T123600Z" };

        var authorization = AwsSigV4Signer.Authorization(method, new Uri(url), headers, EmptySha256, SuiteCredentials, "us-east-1", "service", "20150830T123600Z");

        Assert.Equal($"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature={signature}", authorization);
    }

    [Fact]
    public void Signing_a_request_adds_the_date_and_the_same_signature_as_the_test_suite()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://example.amazonaws.com/");

        AwsSigV4Signer.Sign(request, [], SuiteCredentials, "us-east-1", "service", new DateTimeOffset(2015, 8, 30, 12, 36, 0, TimeSpan.Zero));

        Assert.Equal("20150830T123600Z", request.Headers.GetValues("x-amz-date").Single());
        Assert.EndsWith("Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31", request.Headers.GetValues("Authorization").Single());
    }

    [Fact]
    public void Path_segments_are_encoded_again_for_the_canonical_request() =>
        Assert.Equal("/model/anthropic.claude-v1%253A0/converse", AwsSigV4Signer.CanonicalPath("/model/anthropic.claude-v1%3A0/converse"));

    [Fact]
    public void Crc32_is_the_ieee_checksum() =>
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));

    [Fact]
    public async Task A_bedrock_request_goes_to_the_regional_endpoint_signed_for_bedrock()
    {
        var options = BedrockOptions.From(Configuration(("Providers:bedrock:AccessKeyId", "AKID"), ("Providers:bedrock:SecretAccessKey", "secret"),
            ("Providers:bedrock:SessionToken", "token")));
        var provider = new BedrockChatProvider(options, new UnusedHttpClientFactory(), new BedrockStreamTranslator(TimeProvider.System), TimeProvider.System);
        var model = ProviderTestData.Model("bedrock/x", region: "eu-central-1") with { UpstreamModel = "anthropic.claude-sonnet-4-5-20250929-v1:0" };

        using var message = provider.CreateRequest(new ChatCompletionRequest(
            (JsonObject)JsonNode.Parse("""{"messages":[{"role":"user","content":"Hi"}]}""")!, model, Stream: true));

        Assert.Equal("https://bedrock-runtime.eu-central-1.amazonaws.com/model/eu.anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse-stream", message.RequestUri!.AbsoluteUri);
        var authorization = message.Headers.GetValues("Authorization").Single();
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKID/", authorization);
        Assert.Contains("/eu-central-1/bedrock/aws4_request", authorization);
        Assert.Contains("SignedHeaders=accept;content-type;host;x-amz-date;x-amz-security-token", authorization);
        Assert.Equal("token", message.Headers.GetValues("x-amz-security-token").Single());
        Assert.Equal("Hi", JsonNode.Parse(await message.Content!.ReadAsStringAsync())!["messages"]![0]!["content"]![0]!["text"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("us", "us-east-1")]
    [InlineData("eu", "us-east-1")]
    [InlineData("eu-west-1", "eu-west-1")]
    public void Only_a_real_aws_region_overrides_the_configured_one(string modelRegion, string region) =>
        Assert.Equal(region, BedrockOptions.From(Configuration()).RegionFor(modelRegion));

    [Fact]
    public void Bedrock_is_configured_only_with_credentials()
    {
        Assert.Null(BedrockOptions.Endpoint(Configuration(("Simulator:Url", "http://127.0.0.1:5090"))));
        var endpoint = BedrockOptions.Endpoint(Configuration(("Providers:bedrock:ApiKey", "bedrock-api-key"), ("Providers:bedrock:Region", "eu-west-3")));
        Assert.Equal("https://bedrock-runtime.eu-west-3.amazonaws.com/", endpoint!.BaseAddress.AbsoluteUri);
    }

    [Fact]
    public void An_openai_request_maps_to_converse()
    {
        var chat = (JsonObject)JsonNode.Parse("""
            {"messages":[
              {"role":"system","content":"Be brief."},
              {"role":"user","content":[{"type":"text","text":"Weather?"},{"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA"}}]},
              {"role":"assistant","content":null,"tool_calls":[{"id":"t1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
              {"role":"tool","tool_call_id":"t1","content":"sunny"},
              {"role":"user","content":"Thanks"}],
             "max_tokens":100,"temperature":0.2,"stop":"END",
             "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather","parameters":{"type":"object"}}}],
             "tool_choice":"required"}
            """)!;

        var converse = BedrockConverseMapper.ToConverse(chat);

        Assert.Equal("Be brief.", converse["system"]![0]!["text"]!.GetValue<string>());
        var messages = converse["messages"]!.AsArray();
        Assert.Equal(["user", "assistant", "user"], messages.Select(m => m!["role"]!.GetValue<string>()));
        Assert.Equal("png", messages[0]!["content"]![1]!["image"]!["format"]!.GetValue<string>());
        Assert.Equal("Paris", messages[1]!["content"]![0]!["toolUse"]!["input"]!["city"]!.GetValue<string>());
        Assert.Equal("t1", messages[2]!["content"]![0]!["toolResult"]!["toolUseId"]!.GetValue<string>());
        Assert.Equal("Thanks", messages[2]!["content"]![1]!["text"]!.GetValue<string>());
        Assert.Equal(100, converse["inferenceConfig"]!["maxTokens"]!.GetValue<int>());
        Assert.Equal("END", converse["inferenceConfig"]!["stopSequences"]![0]!.GetValue<string>());
        Assert.Equal("get_weather", converse["toolConfig"]!["tools"]![0]!["toolSpec"]!["name"]!.GetValue<string>());
        Assert.NotNull(converse["toolConfig"]!["toolChoice"]!["any"]);
    }

    [Fact]
    public void A_converse_answer_maps_to_a_chat_completion()
    {
        var response = JsonNode.Parse("""
            {"output":{"message":{"role":"assistant","content":[
               {"reasoningContent":{"reasoningText":{"text":"Think."}}},{"text":"Calling."},
               {"toolUse":{"toolUseId":"t9","name":"get_weather","input":{"city":"Oslo"}}}]}},
             "stopReason":"tool_use","usage":{"inputTokens":20,"outputTokens":7,"totalTokens":37,"cacheReadInputTokens":10}}
            """)!;

        var completion = BedrockConverseMapper.ToOpenAIChat(response, "bedrock/claude-sonnet-4-5", DateTimeOffset.UnixEpoch, out var usage);

        var choice = completion["choices"]![0]!;
        Assert.Equal("tool_calls", choice["finish_reason"]!.GetValue<string>());
        Assert.Equal("Calling.", choice["message"]!["content"]!.GetValue<string>());
        Assert.Equal("Think.", choice["message"]!["reasoning_content"]!.GetValue<string>());
        Assert.Equal("""{"city":"Oslo"}""", choice["message"]!["tool_calls"]![0]!["function"]!["arguments"]!.GetValue<string>());
        Assert.Equal((20L, 7L, 10L), (usage.InputTokens, usage.OutputTokens, usage.CacheReadTokens));
        Assert.Equal(30, completion["usage"]!["prompt_tokens"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_converse_stream_in_event_stream_framing_becomes_openai_chunks()
    {
        var frames = new MemoryStream();
        foreach (var (type, payload) in new[]
        {
            ("messageStart", """{"role":"assistant"}"""),
            ("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"reasoningContent":{"text":"Hmm."}}}"""),
            ("contentBlockDelta", """{"contentBlockIndex":1,"delta":{"text":"Hello "}}"""),
            ("contentBlockDelta", """{"contentBlockIndex":1,"delta":{"text":"there"}}"""),
            ("contentBlockStart", """{"contentBlockIndex":2,"start":{"toolUse":{"toolUseId":"t1","name":"get_weather"}}}"""),
            ("contentBlockDelta", """{"contentBlockIndex":2,"delta":{"toolUse":{"input":"{\"city\":"}}}"""),
            ("contentBlockDelta", """{"contentBlockIndex":2,"delta":{"toolUse":{"input":"\"Rome\"}"}}}"""),
            ("contentBlockStop", """{"contentBlockIndex":2}"""),
            ("messageStop", """{"stopReason":"tool_use"}"""),
            ("metadata", """{"usage":{"inputTokens":11,"outputTokens":5,"totalTokens":16},"metrics":{"latencyMs":120}}"""),
        })
        {
            frames.Write(AwsEventStream.Encode(new Dictionary<string, string>
            {
                [":event-type"] = type, [":content-type"] = "application/json", [":message-type"] = "event",
            }, Encoding.UTF8.GetBytes(payload)));
        }
        var output = new RecordingChatOutput();
        var record = ProviderTestData.Record();
        var upstream = new HttpResponseMessage { Content = new ByteArrayContent(frames.ToArray()) };
        var request = new ChatCompletionRequest([], ProviderTestData.Model("bedrock/claude-sonnet-4-5"), Stream: true);

        var answer = await new BedrockStreamTranslator(TimeProvider.System).RelayAsync(await upstream.Content.ReadAsStreamAsync(), output, record, request, CancellationToken.None);

        Assert.Equal("Hello there", answer);
        Assert.Equal("Hmm.", output.Chunks[0]["choices"]![0]!["delta"]!["reasoning_content"]!.GetValue<string>());
        Assert.Equal("assistant", output.Chunks[0]["choices"]![0]!["delta"]!["role"]!.GetValue<string>());
        var arguments = string.Concat(output.Chunks.Select(c => c["choices"]?.AsArray().FirstOrDefault()?["delta"]?["tool_calls"]?[0]?["function"]?["arguments"]?.GetValue<string>()));
        Assert.Equal("""{"city":"Rome"}""", arguments);
        Assert.Equal("tool_calls", output.Chunks[^2]["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.Equal(16, output.Chunks[^1]["usage"]!["total_tokens"]!.GetValue<long>());
        Assert.Equal((11L, 5L), (record.Usage.InputTokens, record.Usage.OutputTokens));
        Assert.Equal("get_weather", record.ToolCalls.Single().Name);
        Assert.True(output.Ended);
    }

    [Fact]
    public async Task An_exception_event_ends_the_stream_with_an_error()
    {
        var frame = AwsEventStream.Encode(new Dictionary<string, string>
        {
            [":message-type"] = "exception", [":exception-type"] = "throttlingException",
        }, Encoding.UTF8.GetBytes("""{"message":"Too many requests"}"""));
        var output = new RecordingChatOutput();
        var record = ProviderTestData.Record();

        await new BedrockStreamTranslator(TimeProvider.System).RelayAsync(new MemoryStream(frame), output, record,
            new ChatCompletionRequest([], ProviderTestData.Model("bedrock/x"), Stream: true), CancellationToken.None);

        Assert.Equal("bedrock: throttlingException: Too many requests", output.StreamErrors.Single());
        Assert.Equal(502, record.HttpStatus);
    }

    [Fact]
    public async Task A_corrupted_frame_is_rejected()
    {
        var frame = AwsEventStream.Encode(new Dictionary<string, string> { [":event-type"] = "messageStop" }, "{}"u8.ToArray());
        frame[^6] ^= 0xFF;

        await Assert.ThrowsAsync<InvalidDataException>(async () =>
        {
            await foreach (var _ in AwsEventStream.ReadAsync(new MemoryStream(frame), CancellationToken.None)) { }
        });
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();
}
