using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using Requesty.Router.Providers;

namespace Requesty.Router.Endpoints.ChatCompletions;

/// <summary>
/// Answers a /v1/chat/completions client. The completion's id is our request id, so the client can
/// send feedback for it. Upstream is always asked for stream usage; a client that did not ask for
/// it (stream_options.include_usage) does not get the usage-only chunk.
/// OpenAI-format upstream answers pass through as bytes with only the id value replaced.
/// </summary>
public sealed class OpenAIChatOutput(HttpResponse response, bool clientWantsUsage, Guid requestId) : IOpenAIBytesOutput
{
    private bool _holdEvents;
    private bool _unsent;

    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();

    private readonly string _id = requestId.ToString();
    private readonly byte[] _quotedId = Encoding.UTF8.GetBytes($"\"{requestId}\"");

    public async Task WriteCompletionAsync(JsonObject completion, ReadOnlyMemory<byte> raw, CancellationToken cancellationToken)
    {
        completion["id"] = _id;
        var bytes = Encoding.UTF8.GetBytes(completion.ToJsonString());
        response.StatusCode = 200;
        response.ContentType = "application/json";
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, cancellationToken);
    }

    public async ValueTask<bool> TryWriteCompletionAsync(ReadOnlyMemory<byte> completion, OpenAIJsonShape shape, CancellationToken cancellationToken)
    {
        if (shape.IdLength == 0) return false;
        response.StatusCode = 200;
        response.ContentType = "application/json";
        response.ContentLength = completion.Length - shape.IdLength + _quotedId.Length;
        WriteWithOurId(completion.Span, shape);
        await response.BodyWriter.FlushAsync(cancellationToken);
        return true;
    }

    public Task StartStreamAsync(CancellationToken cancellationToken) => SseWriter.StartAsync(response, cancellationToken);

    public Task WriteChunkAsync(JsonObject chunk, string? raw, CancellationToken cancellationToken)
    {
        if (!clientWantsUsage && chunk["usage"] is JsonObject)
        {
            if (chunk["choices"] is not JsonArray { Count: > 0 }) return Task.CompletedTask;
            chunk.Remove("usage");
        }
        chunk["id"] = _id;
        SseWriter.WriteData(response, chunk.ToJsonString());
        _unsent = true;
        return _holdEvents ? Task.CompletedTask : SendHeldAsync(cancellationToken).AsTask();
    }

    public void HoldEvents() => _holdEvents = true;

    public async ValueTask SendHeldAsync(CancellationToken cancellationToken)
    {
        if (!_unsent) return;
        _unsent = false;
        await response.BodyWriter.FlushAsync(cancellationToken);
    }

    public bool TryWriteChunk(ReadOnlySpan<byte> chunk, OpenAIJsonShape shape)
    {
        if (!clientWantsUsage && shape.HasUsage)
        {
            if (shape.Choices == 0) return true;
            return false; // usage next to choices must be cut out of the chunk: the parsed form does that
        }
        if (shape.IdLength == 0) return false;
        var writer = response.BodyWriter;
        writer.Write(DataPrefix);
        WriteWithOurId(chunk, shape);
        writer.Write(EventEnd);
        _unsent = true;
        return true;
    }

    public Task WriteStreamErrorAsync(string message, CancellationToken cancellationToken) =>
        SseWriter.WriteDataAsync(response, new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["type"] = "api_error" } }.ToJsonString(), cancellationToken);

    /// <summary>[DONE], whatever is still buffered and the end of the response leave in one send; nothing is written after it.</summary>
    public async Task EndStreamAsync(CancellationToken cancellationToken)
    {
        var writer = response.BodyWriter;
        writer.Write(DataPrefix);
        writer.Write("[DONE]"u8);
        writer.Write(EventEnd);
        await response.CompleteAsync();
    }

    /// <summary>The JSON with its id value replaced by our request id: the bytes before it, our id, the bytes after it.</summary>
    private void WriteWithOurId(ReadOnlySpan<byte> json, OpenAIJsonShape shape)
    {
        var writer = response.BodyWriter;
        writer.Write(json[..shape.IdStart]);
        writer.Write(_quotedId);
        writer.Write(json[(shape.IdStart + shape.IdLength)..]);
    }
}
