using System.Net.Http.Headers;
using Requesty.Router.Pipeline;

namespace Requesty.Router.Providers.Bedrock;

/// <summary>
/// AWS Bedrock through the Converse API: POST /model/{modelId}/converse (or converse-stream, answered in AWS
/// event-stream framing), signed with SigV4 or sent with a Bedrock API key. "@eu-central-1" picks the regional
/// endpoint; Claude models there go through the region's cross-region inference profile (eu./us./apac.).
/// </summary>
public sealed class BedrockChatProvider(BedrockOptions options, IHttpClientFactory httpClients, BedrockStreamTranslator streamTranslator, TimeProvider time)
    : IChatCompletionsProvider
{
    public const string HttpClientName = "provider-bedrock";
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public string Name => BedrockOptions.ProviderName;

    public Task<HttpResponseMessage> SendAsync(ProviderEndpoint endpoint, ChatCompletionRequest request, CancellationToken cancellationToken) =>
        httpClients.CreateClient(HttpClientName).SendAsync(CreateRequest(request), HttpCompletionOption.ResponseHeadersRead, cancellationToken);

    /// <summary>The signed upstream request (exposed for tests).</summary>
    public HttpRequestMessage CreateRequest(ChatCompletionRequest request)
    {
        var region = options.RegionFor(request.Model.Region);
        var modelId = ModelIdFor(request.Model.UpstreamModel, request.Model.Region);
        var action = request.Stream ? "converse-stream" : "converse";
        var payload = JsonPayload.Utf8(BedrockConverseMapper.ToConverse(request.Body));
        var message = new HttpRequestMessage(HttpMethod.Post, new Uri(options.BaseUri(region), $"model/{Uri.EscapeDataString(modelId)}/{action}"))
        {
            Content = new ByteArrayContent(payload) { Headers = { ContentType = Json } },
        };
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(request.Stream ? "application/vnd.amazon.eventstream" : "application/json"));
        if (options.ApiKey is { } apiKey) message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        else if (options.Credentials is { } credentials) AwsSigV4Signer.Sign(message, payload, credentials, region, "bedrock", time.GetUtcNow());
        return message;
    }

    /// <summary>Claude on Bedrock is served in a region through its geography's inference profile.</summary>
    public static string ModelIdFor(string upstreamModel, string modelRegion)
    {
        if (!upstreamModel.StartsWith("anthropic.", StringComparison.Ordinal)) return upstreamModel;
        var geography = modelRegion.Split('-')[0] switch
        {
            "eu" => "eu",
            "us" => "us",
            "ap" => "apac",
            _ => null,
        };
        return geography is null || !modelRegion.Contains('-') ? upstreamModel : $"{geography}.{upstreamModel}";
    }

    public Task<string?> RelayCompletionAsync(HttpResponseMessage upstream, IChatOutput output, RequestRecord record, ChatCompletionRequest request, CancellationToken cancellationToken) =>
        TranslatedCompletion.RelayAsync(upstream, output, record, request, BedrockConverseMapper.ToOpenAIChat, time, cancellationToken);

    public async Task<string> RelayStreamAsync(HttpResponseMessage upstream, IChatOutput output, RequestRecord record, ChatCompletionRequest request, CancellationToken cancellationToken)
    {
        var stream = await upstream.Content.ReadAsStreamAsync(cancellationToken);
        return await streamTranslator.RelayAsync(stream, output, record, request, cancellationToken);
    }
}
