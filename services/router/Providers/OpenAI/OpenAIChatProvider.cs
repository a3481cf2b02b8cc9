using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Requesty.Router.Pipeline;

namespace Requesty.Router.Providers.OpenAI;

/// <summary>OpenAI speaks our client-facing format: the body passes through with the provider's model name.</summary>
public sealed class OpenAIChatProvider(IHttpClientFactory httpClients, OpenAIStreamRelay streamRelay, TimeProvider time) : IChatCompletionsProvider
{
    public const string HttpClientName = "provider-openai";
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public string Name => "openai";

    public Task<HttpResponseMessage> SendAsync(ProviderEndpoint endpoint, ChatCompletionRequest request, CancellationToken cancellationToken)
    {
        var body = request.Body;
        body["model"] = request.Model.UpstreamModel;
        // Always ask for usage in streams: it is how a stream gets billed.
        if (request.Stream) body["stream_options"] = new JsonObject { ["include_usage"] = true };

        var message = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint.BaseAddress, "chat/completions"))
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body.ToJsonString())) { Headers = { ContentType = Json } },
        };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", endpoint.ApiKey);
        return httpClients.CreateClient(HttpClientName).SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    public async Task<string?> RelayCompletionAsync(HttpResponseMessage upstream, IChatOutput output, RequestRecord record, ChatCompletionRequest request, CancellationToken cancellationToken)
    {
        var bytes = await upstream.Content.ReadAsByteArrayAsync(cancellationToken);
        record.FirstTokenAt = time.GetUtcNow().UtcDateTime;
        var completion = JsonNode.Parse(bytes) as JsonObject ?? new JsonObject();
        record.Usage = OpenAIUsage.Read(completion["usage"]) ?? record.Usage;
        record.ToolCalls.AddRange(OpenAIToolCalls.Made(completion));
        await output.WriteCompletionAsync(completion, bytes, cancellationToken);
        return JsonBody.String(JsonBody.First(completion["choices"])?["message"]?["content"]);
    }

    public async Task<string> RelayStreamAsync(HttpResponseMessage upstream, IChatOutput output, RequestRecord record, ChatCompletionRequest request, CancellationToken cancellationToken)
    {
        var stream = await upstream.Content.ReadAsStreamAsync(cancellationToken);
        return await streamRelay.RelayAsync(stream, output, record, cancellationToken);
    }
}
