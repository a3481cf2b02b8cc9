using Requesty.Router.Providers;

namespace Requesty.Router.Pipeline;

/// <summary>One request/answer exchange with a provider, as the dispatch stage drives it.</summary>
public interface IUpstreamExchange
{
    Task<HttpResponseMessage> SendAsync(ProviderEndpoint endpoint, CancellationToken cancellationToken);

    /// <summary>Relays a successful answer to the client; fills usage and tool calls; returns the answer text.</summary>
    Task<string?> RelayAsync(HttpResponseMessage upstream, RequestRecord record, CancellationToken cancellationToken);
}

/// <summary>A chat request to a provider, answered through the client's output format.</summary>
public sealed class ChatProviderExchange(IChatCompletionsProvider provider, ChatCompletionRequest request, IChatOutput output) : IUpstreamExchange
{
    public Task<HttpResponseMessage> SendAsync(ProviderEndpoint endpoint, CancellationToken cancellationToken) =>
        provider.SendAsync(endpoint, request, cancellationToken);

    public async Task<string?> RelayAsync(HttpResponseMessage upstream, RequestRecord record, CancellationToken cancellationToken) =>
        request.Stream
            ? await provider.RelayStreamAsync(upstream, output, record, request, cancellationToken)
            : await provider.RelayCompletionAsync(upstream, output, record, request, cancellationToken);
}
