using System.Text;
using System.Text.Json.Nodes;
using Requesty.Router.Pipeline;

namespace Requesty.Router.Providers.OpenAI;

/// <summary>
/// Forwards an OpenAI chat completion stream event by event while reading the usage, tool calls and answer text off
/// it. Events are read as bytes and scanned with a forward-only reader; an output that takes OpenAI bytes
/// (<see cref="IOpenAIBytesOutput"/>) gets them as they came; tool-call deltas are read off the bytes too
/// (<see cref="ToolCallDeltas"/>). Only chunks with an error, or for an output that needs one, get a parsed JSON tree.
/// </summary>
public sealed class OpenAIStreamRelay(TimeProvider time)
{
    public async Task<string> RelayAsync(Stream upstream, IChatOutput output, RequestRecord record, CancellationToken cancellationToken)
    {
        await output.StartStreamAsync(cancellationToken);
        var stream = new StreamState(output, record);
        stream.Batching?.HoldEvents();
        // Events that arrived together leave together: one send to the client per upstream read, not per event;
        // the last ones leave with the end of the stream (EndStreamAsync).
        await SseLines.ReadAsync(upstream,
            line => DataPayload(line.Span) is { } payload ? RelayEventAsync(line[payload], stream, cancellationToken) : ValueTask.FromResult(false),
            () => stream.Batching?.SendHeldAsync(cancellationToken) ?? ValueTask.CompletedTask,
            cancellationToken);
        await output.EndStreamAsync(cancellationToken);
        record.ToolCalls.AddRange(stream.ToolCalls.Made());
        return stream.Answer.ToString();
    }

    /// <summary>Relays one "data:" payload; true when the stream is over ([DONE] or an in-stream error).</summary>
    private async ValueTask<bool> RelayEventAsync(ReadOnlyMemory<byte> payload, StreamState stream, CancellationToken cancellationToken)
    {
        if (payload.Span.SequenceEqual("[DONE]"u8)) return true;
        var facts = OpenAIAnswerReader.Read(payload.Span, "delta"u8);
        if (!facts.IsObject) return false;

        JsonObject? chunk = null;
        if (facts.HasError)
        {
            chunk = JsonNode.Parse(payload.Span) as JsonObject ?? new JsonObject();
            if (chunk["error"] is JsonObject error)
            {
                var message = "openai: " + (JsonBody.String(error["message"]) ?? "stream error");
                stream.Record.Fail(502, "upstream_error", message);
                await stream.Output.WriteStreamErrorAsync(message, cancellationToken);
                return true;
            }
        }
        if (facts.HasToolCalls) ToolCallDeltas.Read(payload.Span, stream.ToolCalls);

        if (facts.Usage is { } usage) stream.Record.Usage = usage;
        if (facts.FirstChoiceHasPart)
        {
            stream.Record.FirstTokenAt ??= time.GetUtcNow().UtcDateTime;
            if (facts.ContentLength > 0) OpenAIAnswerReader.AppendString(stream.Answer, payload.Span.Slice(facts.ContentStart, facts.ContentLength));
        }

        if (stream.BytesOutput is { } bytes && bytes.TryWriteChunk(payload.Span, facts.Shape)) return false;
        chunk ??= JsonNode.Parse(payload.Span) as JsonObject ?? new JsonObject();
        await stream.Output.WriteChunkAsync(chunk, null, cancellationToken);
        return false;
    }

    /// <summary>Where the payload of a "data:" line is (trimmed); null for other lines (comments, event names, blank lines).</summary>
    private static Range? DataPayload(ReadOnlySpan<byte> line)
    {
        if (!line.StartsWith("data:"u8)) return null;
        var trimmed = System.Text.Ascii.Trim(line[5..]);
        return new Range(5 + trimmed.Start.GetOffset(line.Length - 5), 5 + trimmed.End.GetOffset(line.Length - 5));
    }

    private sealed class StreamState(IChatOutput output, RequestRecord record)
    {
        public IChatOutput Output { get; } = output;
        public IOpenAIBytesOutput? BytesOutput { get; } = output as IOpenAIBytesOutput;
        public IEventBatchingOutput? Batching { get; } = output as IEventBatchingOutput;
        public RequestRecord Record { get; } = record;
        public StringBuilder Answer { get; } = new();
        public StreamedToolCalls ToolCalls { get; } = new();
    }
}
