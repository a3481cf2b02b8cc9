using System.Buffers;
using System.Text.Json;
using Requesty.Router.Pipeline;

namespace Requesty.Router.Providers.OpenAI;

/// <summary>
/// Reads the tool-call deltas of a streamed chat completion chunk (choices[0].delta.tool_calls) straight from its JSON
/// with a forward-only reader: an agent's tool call streams its arguments in hundreds of small chunks, and a JSON tree
/// per chunk was most of what relaying them cost.
/// </summary>
public static class ToolCallDeltas
{
    /// <summary>Adds each tool-call delta of the chunk's first choice to <paramref name="calls"/>.</summary>
    public static void Read(ReadOnlySpan<byte> chunk, StreamedToolCalls calls)
    {
        try
        {
            ReadChunk(chunk, calls);
        }
        catch (JsonException)
        {
            // A chunk that is not JSON after all: its tool calls go uncounted, the relay carries on.
        }
    }

    private static void ReadChunk(ReadOnlySpan<byte> chunk, StreamedToolCalls calls)
    {
        var reader = new Utf8JsonReader(chunk);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isChoices = reader.ValueTextEquals("choices"u8);
            reader.Read();
            if (isChoices && reader.TokenType == JsonTokenType.StartArray && reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                if (Into(ref reader, "delta"u8) && Into(ref reader, "tool_calls"u8, JsonTokenType.StartArray)) ReadCalls(ref reader, calls);
                return;
            }
            reader.Skip();
        }
    }

    /// <summary>Moves into the value of the current object's property <paramref name="name"/>; false when it has none of that kind.</summary>
    private static bool Into(ref Utf8JsonReader reader, ReadOnlySpan<byte> name, JsonTokenType kind = JsonTokenType.StartObject)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var match = reader.ValueTextEquals(name);
            reader.Read();
            if (match) return reader.TokenType == kind;
            reader.Skip();
        }
        return false;
    }

    private static void ReadCalls(ref Utf8JsonReader reader, StreamedToolCalls calls)
    {
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }
            int index = 0, argumentBytes = 0;
            string? id = null, name = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("index"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out index)) index = 0;
                }
                else if (reader.ValueTextEquals("id"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String) id = reader.GetString();
                }
                else if (reader.ValueTextEquals("function"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartObject) ReadFunction(ref reader, ref name, ref argumentBytes);
                    else reader.Skip();
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            calls.Add(index, id, name, argumentBytes);
        }
    }

    private static void ReadFunction(ref Utf8JsonReader reader, ref string? name, ref int argumentBytes)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isName = reader.ValueTextEquals("name"u8);
            var isArguments = !isName && reader.ValueTextEquals("arguments"u8);
            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
            {
                reader.Skip();
                continue;
            }
            if (isName) name = reader.GetString();
            else if (isArguments) argumentBytes += Utf8Length(ref reader);
        }
    }

    /// <summary>The UTF-8 length of the current string token's text (escapes read, not counted as written).</summary>
    private static int Utf8Length(ref Utf8JsonReader reader)
    {
        var escaped = reader.ValueSpan; // a reader over one span never has a value sequence
        if (!reader.ValueIsEscaped) return escaped.Length;
        var text = ArrayPool<byte>.Shared.Rent(escaped.Length);
        try
        {
            return JsonText.Unescape(escaped, text);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(text);
        }
    }
}
