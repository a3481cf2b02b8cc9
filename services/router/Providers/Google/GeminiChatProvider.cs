using Requesty.Router.Pipeline;

namespace Requesty.Router.Providers.Google;

/// <summary>Serves OpenAI chat completions from Gemini's generateContent API.</summary>
public sealed class GeminiChatProvider(IHttpClientFactory httpClients, GeminiStreamTranslator streamTranslator, TimeProvider time) : IChatCompletionsProvider
{
    public const string HttpClientName = "provider-google";

    public string Name => "google";

    public Task<HttpResponseMessage> SendAsync(ProviderEndpoint endpoint, ChatCompletionRequest request, CancellationToken cancellationToken)
    {
        var body = GeminiRequestMapper.FromOpenAIChat(request.Body, request.Model);
        var model = Uri.EscapeDataString(request.Model.UpstreamModel);
        var path = request.Stream ? $"v1beta/models/{model}:streamGenerateContent?alt=sse" : $"v1beta/models/{model}:generateContent";
        var message = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint.BaseAddress, path))
        {
            Content = JsonPayload.Content(body),
        };
        message.Headers.Add("x-goog-api-key", endpoint.ApiKey);
        return httpClients.CreateClient(HttpClientName).SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    public Task<string?> RelayCompletionAsync(HttpResponseMessage upstream, IChatOutput output, RequestRecord record, ChatCompletionRequest request, CancellationToken cancellationToken) =>
        TranslatedCompletion.RelayAsync(upstream, output, record, request, GeminiResponseMapper.ToOpenAIChat, time, cancellationToken);

    public async Task<string> RelayStreamAsync(HttpResponseMessage upstream, IChatOutput output, RequestRecord record, ChatCompletionRequest request, CancellationToken cancellationToken)
    {
        var stream = await upstream.Content.ReadAsStreamAsync(cancellationToken);
        return await streamTranslator.RelayAsync(stream, output, record, request, cancellationToken);
    }
}
