using System.Buffers;
using System.Text.Json;

namespace Requesty.Router.Providers.Anthropic;

/// <summary>
/// Reads a content_block_delta event (nearly every event of an Anthropic stream) with a forward-only reader: which
/// block, the answer text it adds and how many bytes of tool input it carries. No JSON tree, no strings but the text.
/// </summary>
public static class AnthropicDeltaEvent
{
    /// <summary>What a content_block_delta says; IsDelta is false for any other event (or a payload that is not JSON).</summary>
    public readonly record struct Facts(bool IsDelta, int Index, string? Text, int PartialJsonBytes);

    public static Facts Read(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return default;
            bool isDelta = false;
            var index = 0;
            string? text = null;
            var partialJsonBytes = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.String || !reader.ValueTextEquals("content_block_delta"u8)) return default;
                    isDelta = true;
                }
                else if (reader.ValueTextEquals("index"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var number)) index = number;
                }
                else if (reader.ValueTextEquals("delta"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartObject) ReadDelta(ref reader, ref text, ref partialJsonBytes);
                    else reader.Skip();
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            return isDelta ? new Facts(true, index, text, partialJsonBytes) : default;
        }
        catch (JsonException)
        {
            return default;
        }
    }

    /// <summary>text_delta's text and input_json_delta's partial_json size (thinking and signatures are not answer text).</summary>
    private static void ReadDelta(ref Utf8JsonReader reader, ref string? text, ref int partialJsonBytes)
    {
        var isText = false;
        string? candidate = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                isText = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("text_delta"u8);
            }
            else if (reader.ValueTextEquals("text"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String) candidate = reader.GetString();
            }
            else if (reader.ValueTextEquals("partial_json"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String) partialJsonBytes = UnescapedLength(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        if (isText) text = candidate;
    }

    private static int UnescapedLength(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped) return reader.ValueSpan.Length;
        var rented = ArrayPool<byte>.Shared.Rent(reader.ValueSpan.Length);
        try
        {
            return reader.CopyString(rented);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
