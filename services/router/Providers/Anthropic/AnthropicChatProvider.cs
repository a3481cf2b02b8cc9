using Requesty.Router.Pipeline;

namespace Requesty.Router.Providers.Anthropic;

/// <summary>Serves OpenAI chat completions from Anthropic's Messages API, translating both ways.</summary>
public sealed class AnthropicChatProvider(IHttpClientFactory httpClients, AnthropicStreamTranslator streamTranslator, TimeProvider time) : IChatCompletionsProvider
{
    public const string HttpClientName = "provider-anthropic";
    public const string ApiVersion = "2023-06-01";

    public string Name => "anthropic";

    public Task<HttpResponseMessage> SendAsync(ProviderEndpoint endpoint, ChatCompletionRequest request, CancellationToken cancellationToken)
    {
        var body = AnthropicRequestMapper.FromOpenAIChat(request.Body, request.Model.UpstreamModel, SendsStructuredOutputs(request));
        var message = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint.BaseAddress, "v1/messages"))
        {
            Content = JsonPayload.Content(body),
        };
        message.Headers.Add("x-api-key", endpoint.ApiKey);
        message.Headers.Add("anthropic-version", ApiVersion);
        return httpClients.CreateClient(HttpClientName).SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    public Task<string?> RelayCompletionAsync(HttpResponseMessage upstream, IChatOutput output, RequestRecord record, ChatCompletionRequest request, CancellationToken cancellationToken) =>
        TranslatedCompletion.RelayAsync(upstream, output, record, request, CompletionTranslator(request, SendsStructuredOutputs(request)), time, cancellationToken);

    /// <summary>Whether a json_schema goes to the Claude API as output_config (models with structured outputs) rather than as an instruction.</summary>
    public static bool SendsStructuredOutputs(ChatCompletionRequest request) => AnthropicStructuredOutput.IsSupportedBy(request.Model.UpstreamModel);

    /// <summary>How a Claude answer becomes an OpenAI completion for this request (also used by Claude on Vertex).</summary>
    /// <param name="structuredOutputs">Whether a json_schema was sent as output_config (enforced) rather than as an instruction.</param>
    public static TranslatedCompletion.Translator CompletionTranslator(ChatCompletionRequest request, bool structuredOutputs) =>
        AsksForJsonByInstruction(request, structuredOutputs) ? AnthropicResponseMapper.ToOpenAIChatJson : AnthropicResponseMapper.ToOpenAIChat;

    /// <summary>JSON asked for in a way Claude only follows as an instruction, so its answer may come in a markdown code fence.</summary>
    public static bool AsksForJsonByInstruction(ChatCompletionRequest request, bool structuredOutputs) => JsonBody.String(request.Body["response_format"]?["type"]) switch
    {
        "json_object" => true,
        "json_schema" => !structuredOutputs,
        _ => false,
    };

    public async Task<string> RelayStreamAsync(HttpResponseMessage upstream, IChatOutput output, RequestRecord record, ChatCompletionRequest request, CancellationToken cancellationToken)
    {
        var stream = await upstream.Content.ReadAsStreamAsync(cancellationToken);
        return await streamTranslator.RelayAsync(stream, output, record, request, SendsStructuredOutputs(request), cancellationToken);
    }
}
