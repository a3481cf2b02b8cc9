using System.Text;

namespace Requesty.Router.Pipeline;

/// <summary>Reading JSON string text as UTF-8, and checks on JSON text that a JSON parser accepts but that cannot be read as text.</summary>
public static class JsonText
{
    /// <summary>
    /// Writes the text of a JSON string's content (what stands between its quotes, escapes as written) to
    /// <paramref name="destination"/> as UTF-8 and returns the byte count. The destination needs no more room than the
    /// source: no escape is shorter than the UTF-8 it stands for. Half a surrogate pair becomes U+FFFD, as when .NET
    /// encodes such a string; the content is expected to come from parsed (valid) JSON.
    /// </summary>
    public static int Unescape(ReadOnlySpan<byte> escaped, Span<byte> destination)
    {
        var written = 0;
        while (true)
        {
            var backslash = escaped.IndexOf((byte)'\\');
            if (backslash < 0 || backslash == escaped.Length - 1)
            {
                escaped.CopyTo(destination[written..]);
                return written + escaped.Length;
            }
            escaped[..backslash].CopyTo(destination[written..]);
            written += backslash;
            var consumed = 2;
            switch (escaped[backslash + 1])
            {
                case (byte)'b': destination[written++] = (byte)'\b'; break;
                case (byte)'f': destination[written++] = (byte)'\f'; break;
                case (byte)'n': destination[written++] = (byte)'\n'; break;
                case (byte)'r': destination[written++] = (byte)'\r'; break;
                case (byte)'t': destination[written++] = (byte)'\t'; break;
                case (byte)'u' when TryHex4(escaped, backslash + 2, out var unit):
                    consumed = 6;
                    var rune = Rune.ReplacementChar;
                    if (unit is >= 0xD800 and <= 0xDBFF && escaped.Length >= backslash + 12 && escaped[backslash + 6] == '\\'
                        && escaped[backslash + 7] == 'u' && TryHex4(escaped, backslash + 8, out var low) && low is >= 0xDC00 and <= 0xDFFF)
                    {
                        rune = new Rune((char)unit, (char)low);
                        consumed = 12;
                    }
                    else if (!char.IsSurrogate((char)unit))
                    {
                        rune = new Rune(unit);
                    }
                    written += rune.EncodeToUtf8(destination[written..]);
                    break;
                default: destination[written++] = escaped[backslash + 1]; break; // \" \\ \/ (and, in invalid JSON, anything)
            }
            escaped = escaped[(backslash + consumed)..];
        }
    }

    /// <summary>
    /// True when a \u escape in (valid) JSON stands for half of a UTF-16 surrogate pair without its other half, such
    /// as "\ud83d" alone: JSON allows it, but no string can hold it, so every reader of that string would throw.
    /// </summary>
    public static bool HasLoneSurrogateEscape(ReadOnlySpan<byte> json) =>
        // Every surrogate escape starts \ud or \uD; other \u escapes (S.T.J writes <, >, & and ' as such) are skipped fast.
        HasLoneSurrogateEscape(json, "\\ud"u8) || HasLoneSurrogateEscape(json, "\\uD"u8);

    private static bool HasLoneSurrogateEscape(ReadOnlySpan<byte> json, ReadOnlySpan<byte> start)
    {
        var from = 0;
        while (true)
        {
            var found = json[from..].IndexOf(start);
            if (found < 0) return false;
            var at = from + found;
            from = at + 2;
            if (!IsEscapingBackslash(json, at) || !TryHex4(json, at + 2, out var unit)) continue;
            if (unit is >= 0xDC00 and <= 0xDFFF)
            {
                if (FollowsHighHalf(json, at)) continue; // the second half of a pair (the other scan's case found the first)
                return true; // a low half with no high half before it
            }
            if (unit is < 0xD800 or > 0xDBFF) continue;
            var pairedWithLowHalf = json.Length >= at + 12 && json[at + 6] == '\\' && json[at + 7] == 'u'
                && TryHex4(json, at + 8, out var low) && low is >= 0xDC00 and <= 0xDFFF;
            if (!pairedWithLowHalf) return true;
            from = at + 12;
        }
    }

    private static bool FollowsHighHalf(ReadOnlySpan<byte> json, int at) =>
        at >= 6 && json[at - 6] == '\\' && json[at - 5] == 'u' && IsEscapingBackslash(json, at - 6)
        && TryHex4(json, at - 4, out var high) && high is >= 0xD800 and <= 0xDBFF;

    /// <summary>A backslash escapes what follows when an even number of backslashes precedes it ("\\u" is not \u).</summary>
    private static bool IsEscapingBackslash(ReadOnlySpan<byte> json, int at)
    {
        var before = 0;
        while (at - before - 1 >= 0 && json[at - before - 1] == '\\') before++;
        return before % 2 == 0;
    }

    private static bool TryHex4(ReadOnlySpan<byte> json, int start, out int value)
    {
        value = 0;
        if (json.Length < start + 4) return false;
        foreach (var c in json.Slice(start, 4))
        {
            var digit = c switch
            {
                >= (byte)'0' and <= (byte)'9' => c - '0',
                >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
                _ => -1,
            };
            if (digit < 0) return false;
            value = value * 16 + digit;
        }
        return true;
    }
}
