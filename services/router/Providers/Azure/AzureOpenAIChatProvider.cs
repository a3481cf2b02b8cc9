using System.Net.Http.Headers;
using Requesty.Router.Pipeline;
using Requesty.Router.Providers.OpenAI;
using Requesty.Router.Providers.OpenAICompatible;

namespace Requesty.Router.Providers.Azure;

/// <summary>
/// Azure OpenAI: OpenAI's wire format at a per-deployment URL with an api-key header. Model ids are
/// azure/{deployment}. Without a key (demo, tests) the simulator's OpenAI route answers instead.
/// </summary>
public sealed class AzureOpenAIChatProvider(AzureOpenAIOptions options, IHttpClientFactory httpClients, OpenAIStreamRelay streamRelay, TimeProvider time)
    : IChatCompletionsProvider
{
    public const string ProviderName = "azure";
    private static readonly OpenAICompatibleProfile Profile = new(ProviderName, RealBaseUrl: null);
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly OpenAICompatibleChatProvider _relay = new(Profile, httpClients, streamRelay, time);

    public string Name => ProviderName;

    public Task<HttpResponseMessage> SendAsync(ProviderEndpoint endpoint, ChatCompletionRequest request, CancellationToken cancellationToken)
    {
        var message = CreateRequest(endpoint, request);
        return httpClients.CreateClient(OpenAICompatibleChatProvider.HttpClientNameFor(ProviderName))
            .SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    /// <summary>The upstream request: deployment URL, api-version and api-key (exposed for tests).</summary>
    public HttpRequestMessage CreateRequest(ProviderEndpoint endpoint, ChatCompletionRequest request)
    {
        var body = JsonPayload.Utf8(OpenAICompatibleChatProvider.UpstreamBody(Profile, request));
        if (endpoint.IsSimulator)
        {
            var simulated = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint.BaseAddress, "chat/completions"))
            {
                Content = new ByteArrayContent(body) { Headers = { ContentType = Json } },
            };
            simulated.Headers.Authorization = new AuthenticationHeaderValue("Bearer", endpoint.ApiKey);
            return simulated;
        }

        var resource = options.Regions.TryGetValue(request.Model.Region, out var regional)
            ? regional
            : new AzureResource(endpoint.BaseAddress, endpoint.ApiKey);
        var deployment = Uri.EscapeDataString(request.Model.UpstreamModel);
        var url = new Uri(WithSlash(resource.Endpoint), $"openai/deployments/{deployment}/chat/completions?api-version={Uri.EscapeDataString(options.ApiVersion)}");
        var message = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) { Headers = { ContentType = Json } } };
        message.Headers.Add("api-key", resource.ApiKey);
        return message;
    }

    public Task<string?> RelayCompletionAsync(HttpResponseMessage upstream, IChatOutput output, RequestRecord record, ChatCompletionRequest request, CancellationToken cancellationToken) =>
        _relay.RelayCompletionAsync(upstream, output, record, request, cancellationToken);

    public Task<string> RelayStreamAsync(HttpResponseMessage upstream, IChatOutput output, RequestRecord record, ChatCompletionRequest request, CancellationToken cancellationToken) =>
        _relay.RelayStreamAsync(upstream, output, record, request, cancellationToken);

    private static Uri WithSlash(Uri uri) => uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
}
