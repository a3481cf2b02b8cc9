using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Requesty.Router.Pipeline;
using Requesty.Router.Providers.Anthropic;
using Requesty.Router.Providers.Google;

namespace Requesty.Router.Providers.Vertex;

/// <summary>
/// Google Vertex AI: Gemini models through publishers/google/models/{model}:generateContent (:streamGenerateContent?alt=sse)
/// and Claude models through publishers/anthropic/models/{model}:rawPredict (:streamRawPredict) with an Anthropic Messages
/// body that names no model and carries anthropic_version "vertex-2023-10-16". "@europe-west4" picks the location;
/// calls carry a service-account access token.
/// </summary>
public sealed class VertexChatProvider(
    VertexOptions options,
    VertexAccessTokens tokens,
    IHttpClientFactory httpClients,
    GeminiStreamTranslator geminiStream,
    AnthropicStreamTranslator anthropicStream,
    TimeProvider time) : IChatCompletionsProvider
{
    public const string HttpClientName = "provider-vertex";
    public const string AnthropicVersion = "vertex-2023-10-16";

    public string Name => VertexOptions.ProviderName;

    /// <summary>Claude models are published by Anthropic on Vertex; everything else is Google's.</summary>
    public static bool IsClaude(string upstreamModel) => upstreamModel.StartsWith("claude", StringComparison.OrdinalIgnoreCase);

    public async Task<HttpResponseMessage> SendAsync(ProviderEndpoint endpoint, ChatCompletionRequest request, CancellationToken cancellationToken)
    {
        var message = CreateRequest(request);
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.GetAsync(cancellationToken));
        return await httpClients.CreateClient(HttpClientName).SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    /// <summary>The upstream request without its access token (exposed for tests).</summary>
    public HttpRequestMessage CreateRequest(ChatCompletionRequest request)
    {
        var location = options.LocationFor(request.Model.Region);
        var model = request.Model.UpstreamModel;
        Uri uri;
        JsonObject body;
        if (IsClaude(model))
        {
            body = ToRawPredictBody(request.Body, model);
            uri = options.ModelUri(location, "anthropic", model, request.Stream ? "streamRawPredict" : "rawPredict");
        }
        else
        {
            body = GeminiRequestMapper.FromOpenAIChat(request.Body, request.Model);
            uri = options.ModelUri(location, "google", model, request.Stream ? "streamGenerateContent?alt=sse" : "generateContent");
        }
        return new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = JsonPayload.Content(body),
        };
    }

    /// <summary>An Anthropic Messages body as Vertex wants it: the model is in the URL, the API version in the body.</summary>
    public static JsonObject ToRawPredictBody(JsonObject chat, string upstreamModel)
    {
        var body = AnthropicRequestMapper.FromOpenAIChat(chat, upstreamModel);
        body.Remove("model");
        body["anthropic_version"] = AnthropicVersion;
        return body;
    }

    public Task<string?> RelayCompletionAsync(HttpResponseMessage upstream, IChatOutput output, RequestRecord record, ChatCompletionRequest request, CancellationToken cancellationToken) =>
        TranslatedCompletion.RelayAsync(upstream, output, record, request,
            IsClaude(request.Model.UpstreamModel) ? AnthropicChatProvider.CompletionTranslator(request, structuredOutputs: false) : GeminiResponseMapper.ToOpenAIChat, time, cancellationToken);

    public async Task<string> RelayStreamAsync(HttpResponseMessage upstream, IChatOutput output, RequestRecord record, ChatCompletionRequest request, CancellationToken cancellationToken)
    {
        var stream = await upstream.Content.ReadAsStreamAsync(cancellationToken);
        return IsClaude(request.Model.UpstreamModel)
            ? await anthropicStream.RelayAsync(stream, output, record, request, structuredOutputs: false, cancellationToken)
            : await geminiStream.RelayAsync(stream, output, record, request, cancellationToken);
    }
}
