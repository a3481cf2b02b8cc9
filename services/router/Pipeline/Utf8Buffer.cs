using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Requesty.Router.Pipeline;

/// <summary>A growable UTF-8 buffer rented from the shared array pool; give it back with Dispose.</summary>
public sealed class Utf8Buffer : IDisposable
{
    private byte[] _array = ArrayPool<byte>.Shared.Rent(4096);
    private int _length;

    public ReadOnlySpan<byte> Written => _array.AsSpan(0, _length);

    public int Capacity => _array.Length;

    public void Clear() => _length = 0;

    /// <summary>
    /// Appends the text of a JSON string as UTF-8: straight from the client's JSON bytes when the node was parsed
    /// (unescaped, never through a .NET string), encoded when the router made it. False (nothing appended) when the node
    /// is not a string.
    /// </summary>
    public bool TryAppendString(JsonNode? node)
    {
        if (node is not JsonValue value) return false;
        if (value.TryGetValue<JsonElement>(out var element))
        {
            if (element.ValueKind != JsonValueKind.String) return false;
            var escaped = JsonMarshal.GetRawUtf8Value(element)[1..^1]; // between the quotes
            _length += JsonText.Unescape(escaped, Room(escaped.Length));
            return true;
        }
        if (!value.TryGetValue<string>(out var text)) return false;
        _length += Encoding.UTF8.GetBytes(text, Room(Encoding.UTF8.GetMaxByteCount(text.Length)));
        return true;
    }

    public void Append(string text) =>
        _length += Encoding.UTF8.GetBytes(text, Room(Encoding.UTF8.GetMaxByteCount(text.Length)));

    private Span<byte> Room(int bytes)
    {
        if (_array.Length - _length < bytes)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_array.Length * 2, _length + bytes));
            Written.CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_array);
            _array = larger;
        }
        return _array.AsSpan(_length);
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_array);
        _array = [];
        _length = 0;
    }
}
