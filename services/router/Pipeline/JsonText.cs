namespace Requesty.Router.Pipeline;

/// <summary>Checks on JSON text that a JSON parser accepts but that cannot be read as text.</summary>
public static class JsonText
{
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
