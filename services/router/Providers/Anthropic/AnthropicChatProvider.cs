using System.Net.Http.Headers;
using System.Text;
using Requesty.Router.Pipeline;

namespace Requesty.Router.Providers.Anthropic;

/// <summary>Serves OpenAI chat completions from Anthropic's Messages API, translating both ways.</summary>
public sealed class AnthropicChatProvider(IHttpClientFactory httpClients, AnthropicStreamTranslator streamTranslator, TimeProvider time) : IChatCompletionsProvider
{
    public const string HttpClientName = "provider-anthropic";
    public const string ApiVersion = "2023-06-01";
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public string Name => "anthropic";

    public Task<HttpResponseMessage> SendAsync(ProviderEndpoint endpoint, ChatCompletionRequest request, CancellationToken cancellationToken)
    {
        var body = AnthropicRequestMapper.FromOpenAIChat(request.Body, request.Model.UpstreamModel,
            structuredOutputs: AnthropicStructuredOutput.IsSupportedBy(request.Model.UpstreamModel));
        var message = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint.BaseAddress, "v1/messages"))
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body.ToJsonString())) { Headers = { ContentType = Json } },
        };
        message.Headers.Add("x-api-key", endpoint.ApiKey);
        message.Headers.Add("anthropic-version", ApiVersion);
        return httpClients.CreateClient(HttpClientName).SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    public Task<string?> RelayCompletionAsync(HttpResponseMessage upstream, IChatOutput output, RequestRecord record, ChatCompletionRequest request, CancellationToken cancellationToken) =>
        TranslatedCompletion.RelayAsync(upstream, output, record, request, CompletionTranslator(request), time, cancellationToken);

    /// <summary>How a Claude answer becomes an OpenAI completion for this request (also used by Claude on Vertex).</summary>
    public static TranslatedCompletion.Translator CompletionTranslator(ChatCompletionRequest request) =>
        AsksForJsonByInstruction(request) ? AnthropicResponseMapper.ToOpenAIChatJson : AnthropicResponseMapper.ToOpenAIChat;

    /// <summary>JSON asked for in a way Claude only follows as an instruction, so its answer may come in a markdown code fence.</summary>
    public static bool AsksForJsonByInstruction(ChatCompletionRequest request) => JsonBody.String(request.Body["response_format"]?["type"]) switch
    {
        "json_object" => true,
        "json_schema" => !AnthropicStructuredOutput.IsSupportedBy(request.Model.UpstreamModel),
        _ => false,
    };

    public async Task<string> RelayStreamAsync(HttpResponseMessage upstream, IChatOutput output, RequestRecord record, ChatCompletionRequest request, CancellationToken cancellationToken)
    {
        var stream = await upstream.Content.ReadAsStreamAsync(cancellationToken);
        return await streamTranslator.RelayAsync(stream, output, record, request, cancellationToken);
    }
}
