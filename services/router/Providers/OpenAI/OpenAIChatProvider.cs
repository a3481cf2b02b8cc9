using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Requesty.Router.Pipeline;

namespace Requesty.Router.Providers.OpenAI;

/// <summary>OpenAI speaks our client-facing format: the body passes through with the provider's model name.</summary>
public sealed class OpenAIChatProvider(IHttpClientFactory httpClients, OpenAIStreamRelay streamRelay, TimeProvider time) : IChatCompletionsProvider
{
    public const string HttpClientName = "provider-openai";

    public string Name => "openai";

    public Task<HttpResponseMessage> SendAsync(ProviderEndpoint endpoint, ChatCompletionRequest request, CancellationToken cancellationToken)
    {
        var body = request.Body;
        body["model"] = request.Model.UpstreamModel;
        // Always ask for usage in streams: it is how a stream gets billed.
        if (request.Stream) body["stream_options"] = new JsonObject { ["include_usage"] = true };

        var message = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint.BaseAddress, "chat/completions"))
        {
            Content = JsonPayload.Content(body),
        };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", endpoint.ApiKey);
        return httpClients.CreateClient(HttpClientName).SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    /// <summary>
    /// Usage, answer text and tool calls are read off the bytes (a JSON tree only when there are tool calls); an
    /// output that takes OpenAI bytes gets them as they came.
    /// </summary>
    public async Task<string?> RelayCompletionAsync(HttpResponseMessage upstream, IChatOutput output, RequestRecord record, ChatCompletionRequest request, CancellationToken cancellationToken)
    {
        using var answerBytes = await PooledBody.ReadAsync(upstream.Content, cancellationToken);
        var bytes = answerBytes.Memory;
        record.FirstTokenAt = time.GetUtcNow().UtcDateTime;
        var facts = OpenAIAnswerReader.Read(bytes.Span, "message"u8);
        if (!facts.IsObject)
        {
            await output.WriteCompletionAsync(new JsonObject(), bytes, cancellationToken);
            return null;
        }

        JsonObject? completion = null;
        record.Usage = facts.Usage ?? record.Usage;
        if (facts.HasToolCalls)
        {
            completion = JsonNode.Parse(bytes.Span) as JsonObject ?? new JsonObject();
            record.ToolCalls.AddRange(OpenAIToolCalls.Made(completion));
        }
        var answer = OpenAIAnswerReader.Content(bytes.Span, facts);
        if (output is IOpenAIBytesOutput bytesOutput && await bytesOutput.TryWriteCompletionAsync(bytes, facts.Shape, cancellationToken)) return answer;
        await output.WriteCompletionAsync(completion ?? JsonNode.Parse(bytes.Span) as JsonObject ?? new JsonObject(), bytes, cancellationToken);
        return answer;
    }

    public async Task<string> RelayStreamAsync(HttpResponseMessage upstream, IChatOutput output, RequestRecord record, ChatCompletionRequest request, CancellationToken cancellationToken)
    {
        var stream = await upstream.Content.ReadAsStreamAsync(cancellationToken);
        return await streamRelay.RelayAsync(stream, output, record, cancellationToken);
    }
}
