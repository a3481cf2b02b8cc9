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

/// <summary>
/// An output that writes events of its own (a translated stream) and can hold them until <see cref="SendHeldAsync"/>:
/// a relay that reads the upstream in batches then makes one send to the client per upstream read instead of one per
/// event. Until <see cref="HoldEvents"/> is called every event is sent at once, so relays that do not batch keep
/// streams streaming.
/// </summary>
public interface IEventBatchingOutput : IChatOutput
{
    void HoldEvents();

    /// <summary>Sends the events written since the last send.</summary>
    ValueTask SendHeldAsync(CancellationToken cancellationToken);
}

/// <summary>
/// An output whose client reads OpenAI's chat format itself: providers that speak that format upstream hand it the
/// upstream's bytes and their shape, so the answer passes on without being parsed into a tree and serialised again.
/// </summary>
public interface IOpenAIBytesOutput : IEventBatchingOutput
{
    /// <summary>Writes a whole chat.completion as the upstream sent it; false (nothing written) when it needs the parsed form instead.</summary>
    ValueTask<bool> TryWriteCompletionAsync(ReadOnlyMemory<byte> completion, OpenAIJsonShape shape, CancellationToken cancellationToken);

    /// <summary>
    /// Buffers (or drops) one chat.completion.chunk as the upstream sent it, without sending it yet; false (nothing
    /// written) when it needs the parsed form. <see cref="IEventBatchingOutput.SendHeldAsync"/> sends what is buffered.
    /// </summary>
    bool TryWriteChunk(ReadOnlySpan<byte> chunk, OpenAIJsonShape shape);

}

/// <summary>
/// The parts of an OpenAI completion or chunk that an output may change: the byte range of the top-level "id" value
/// (IdLength 0 when there is none), whether it has a usage object, and how many choices it has.
/// </summary>
public readonly record struct OpenAIJsonShape(int IdStart, int IdLength, bool HasUsage, int Choices);
