using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Requesty.Contracts.Events;
using Requesty.Router.Pipeline;
using Requesty.Router.Providers.OpenAI;

namespace Requesty.Router.Providers.OpenAICompatible;

/// <summary>
/// One implementation for every provider that speaks OpenAI's chat API (Mistral, xAI, DeepSeek, Groq,
/// Together, vLLM, Ollama, OpenRouter...): the body passes through with the provider's model name and
/// the profile's few adjustments; answers relay like OpenAI's, so extra fields such as DeepSeek's
/// reasoning_content reach the client untouched.
/// </summary>
public sealed class OpenAICompatibleChatProvider(
    OpenAICompatibleProfile profile, IHttpClientFactory httpClients, OpenAIStreamRelay streamRelay, TimeProvider time) : IChatCompletionsProvider
{

    public string Name => profile.Name;

    public static string HttpClientNameFor(string provider) => "provider-" + provider;

    public Task<HttpResponseMessage> SendAsync(ProviderEndpoint endpoint, ChatCompletionRequest request, CancellationToken cancellationToken)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint.BaseAddress, "chat/completions"))
        {
            Content = JsonPayload.Content(UpstreamBody(profile, request)),
        };
        if (!string.IsNullOrEmpty(endpoint.ApiKey)) message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", endpoint.ApiKey);
        return httpClients.CreateClient(HttpClientNameFor(profile.Name)).SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    /// <summary>The client's body adjusted for this provider (exposed for tests).</summary>
    public static JsonObject UpstreamBody(OpenAICompatibleProfile profile, ChatCompletionRequest request)
    {
        var body = request.Body;
        body["model"] = request.Model.UpstreamModel;
        if (request.Stream && profile.SendsStreamOptions) body["stream_options"] = new JsonObject { ["include_usage"] = true };
        else if (!profile.SendsStreamOptions) body.Remove("stream_options");
        if (profile.UsesMaxTokens && body["max_completion_tokens"] is { } limit)
        {
            body.Remove("max_completion_tokens");
            if (body["max_tokens"] is null) body["max_tokens"] = limit;
        }
        return body;
    }

    public async Task<string?> RelayCompletionAsync(HttpResponseMessage upstream, IChatOutput output, RequestRecord record, ChatCompletionRequest request, CancellationToken cancellationToken)
    {
        var bytes = await upstream.Content.ReadAsByteArrayAsync(cancellationToken);
        record.FirstTokenAt = time.GetUtcNow().UtcDateTime;
        var completion = JsonNode.Parse(bytes) as JsonObject ?? new JsonObject();
        record.Usage = Billable(OpenAIUsage.Read(completion["usage"]) ?? record.Usage);
        record.ToolCalls.AddRange(OpenAIToolCalls.Made(completion));
        await output.WriteCompletionAsync(completion, bytes, cancellationToken);
        return JsonBody.String(JsonBody.First(completion["choices"])?["message"]?["content"]);
    }

    public async Task<string> RelayStreamAsync(HttpResponseMessage upstream, IChatOutput output, RequestRecord record, ChatCompletionRequest request, CancellationToken cancellationToken)
    {
        var stream = await upstream.Content.ReadAsStreamAsync(cancellationToken);
        var answer = await streamRelay.RelayAsync(stream, output, record, cancellationToken);
        record.Usage = Billable(record.Usage);
        return answer;
    }

    private TokenUsage Billable(TokenUsage usage) =>
        profile.ReasoningOutsideCompletion ? usage with { OutputTokens = usage.OutputTokens + usage.ReasoningTokens } : usage;
}
