using System.Text.Json.Nodes;

namespace Requesty.Router.Providers;

/// <summary>
/// Where a provider's answer goes. Providers speak OpenAI's chat format to it (the lingua franca);
/// the client-facing endpoint's output decides the wire format the client sees.
/// </summary>
public interface IChatOutput
{
    /// <summary>A whole chat.completion; <paramref name="raw"/> is its original bytes when unchanged (may be empty).</summary>
    Task WriteCompletionAsync(JsonObject completion, ReadOnlyMemory<byte> raw, CancellationToken cancellationToken);

    Task StartStreamAsync(CancellationToken cancellationToken);

    /// <summary>One chat.completion.chunk (the usage-only chunk included); <paramref name="raw"/> is its original text when unchanged.</summary>
    Task WriteChunkAsync(JsonObject chunk, string? raw, CancellationToken cancellationToken);

    /// <summary>The upstream failed after the stream started: tell the client in-stream.</summary>
    Task WriteStreamErrorAsync(string message, CancellationToken cancellationToken);

    Task EndStreamAsync(CancellationToken cancellationToken);
}
