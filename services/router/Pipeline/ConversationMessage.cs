using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Requesty.Router.Pipeline;

/// <summary>A message's role and plain text (UTF-8), as session hashing sees it.</summary>
public readonly record struct ConversationMessage(string Role, byte[] Text)
{
    public static implicit operator ConversationMessage((string Role, string Text) message) =>
        new(message.Role, Encoding.UTF8.GetBytes(message.Text));

    /// <summary>
    /// The text of a message's content: a string, or the "text" of its {"type":"text"} parts joined (OpenAI content
    /// parts and Anthropic content blocks alike); empty for anything else. Text from the client's JSON is read as the
    /// UTF-8 it came in, never as a .NET string.
    /// </summary>
    public static byte[] TextOf(JsonNode? content)
    {
        if (Utf8(content) is { } text) return text;
        if (content is not JsonArray parts) return [];
        byte[]? single = null;
        ArrayBufferWriter<byte>? joined = null;
        foreach (var node in parts)
        {
            if (node is not JsonObject part || JsonBody.String(part["type"]) != "text" || Utf8(part["text"]) is not { } partText) continue;
            if (single is null && joined is null)
            {
                single = partText;
                continue;
            }
            if (joined is null)
            {
                joined = new ArrayBufferWriter<byte>(single!.Length + partText.Length);
                joined.Write(single);
            }
            joined.Write(partText);
        }
        return joined?.WrittenSpan.ToArray() ?? single ?? [];
    }

    /// <summary>A JSON string's UTF-8 (unescaped); null when the node is not a string.</summary>
    public static byte[]? Utf8(JsonNode? node)
    {
        if (node is not JsonValue value) return null;
        if (!value.TryGetValue<JsonElement>(out var element)) return value.TryGetValue<string>(out var text) ? Encoding.UTF8.GetBytes(text) : null;
        if (element.ValueKind != JsonValueKind.String) return null;
        var raw = JsonMarshal.GetRawUtf8Value(element); // with its quotes, escapes as the client wrote them
        var inner = raw[1..^1];
        if (inner.IndexOf((byte)'\\') < 0) return inner.ToArray();
        var reader = new Utf8JsonReader(raw);
        reader.Read();
        var unescaped = ArrayPool<byte>.Shared.Rent(inner.Length); // unescaping never lengthens
        try
        {
            return unescaped.AsSpan(0, reader.CopyString(unescaped)).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(unescaped);
        }
    }
}
