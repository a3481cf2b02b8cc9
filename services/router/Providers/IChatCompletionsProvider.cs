using System.Text.Json.Nodes;
using Requesty.Router.Catalog;
using Requesty.Router.Pipeline;

namespace Requesty.Router.Providers;

/// <summary>
/// A provider behind POST /v1/chat/completions: takes the client's OpenAI-format request, speaks
/// the provider's own wire format upstream, and answers the client in OpenAI's format.
/// </summary>
public interface IChatCompletionsProvider
{
    /// <summary>The catalogue's provider name ("openai", "anthropic"...).</summary>
    string Name { get; }

    Task<HttpResponseMessage> SendAsync(ProviderEndpoint endpoint, ChatCompletionRequest request, CancellationToken cancellationToken);

    /// <summary>Writes the non-streamed answer; fills usage and tool calls; returns the answer text.</summary>
    Task<string?> RelayCompletionAsync(HttpResponseMessage upstream, IChatOutput output, RequestRecord record, ChatCompletionRequest request, CancellationToken cancellationToken);

    /// <summary>Forwards the stream chunk by chunk, usage chunk included; fills usage, first-token time and tool calls; returns the answer text.</summary>
    Task<string> RelayStreamAsync(HttpResponseMessage upstream, IChatOutput output, RequestRecord record, ChatCompletionRequest request, CancellationToken cancellationToken);
}

/// <summary>The request in OpenAI chat format (our extension already removed) and the model the pipeline resolved.</summary>
public sealed record ChatCompletionRequest(JsonObject Body, CatalogModel Model, bool Stream);
