using System.Text;

namespace Requesty.Router.Providers.Anthropic;

/// <summary>
/// The streamed counterpart of <see cref="AnthropicResponseMapper.WithoutCodeFence"/>: text goes in piece by piece and
/// comes out without the markdown code fence Claude sometimes puts around JSON. Only what cannot be decided yet is held
/// back: the start until it is known whether it opens a fence, and a tail that could still be the closing fence
/// (whitespace, ``` and whitespace). An answer that opens no fence comes out unchanged. Unlike the non-streamed answer,
/// one whose fence never closes (cut off at max_tokens) has already lost its opening fence line when that becomes known.
/// </summary>
public sealed class StreamingCodeFenceStripper
{
    private const string Fence = "```";

    private enum Stage { Opening, FenceLine, Body, Unfenced }

    private readonly StringBuilder _held = new();
    private Stage _stage = Stage.Opening;
    private bool _bodyStarted;

    /// <summary>The text that can go to the client now (possibly empty).</summary>
    public string Append(string text)
    {
        _held.Append(text);
        return _stage switch
        {
            Stage.Opening => AfterOpening(),
            Stage.FenceLine => AfterFenceLine(),
            Stage.Body => FromBody(),
            _ => Release(_held.Length),
        };
    }

    /// <summary>The rest at the end of the answer: a closing fence and the whitespace around it are dropped.</summary>
    public string Finish()
    {
        ClosingFenceTailLength(out var closed);
        if (_stage == Stage.Body && closed) _held.Clear();
        return Release(_held.Length);
    }

    private string AfterOpening()
    {
        var start = LeadingWhitespaceLength();
        var seen = Math.Min(Fence.Length, _held.Length - start);
        for (var i = 0; i < seen; i++)
        {
            if (_held[start + i] == '`') continue;
            _stage = Stage.Unfenced;
            return Release(_held.Length);
        }
        if (seen < Fence.Length) return "";
        _stage = Stage.FenceLine;
        return AfterFenceLine();
    }

    private string AfterFenceLine()
    {
        // Until its line ends, an opening fence is kept whole: an answer that is only "```json" comes out unchanged.
        var lineEnd = IndexOf('\n', LeadingWhitespaceLength());
        if (lineEnd < 0) return "";
        _held.Remove(0, lineEnd + 1);
        _stage = Stage.Body;
        return FromBody();
    }

    private string FromBody()
    {
        if (!_bodyStarted)
        {
            _held.Remove(0, LeadingWhitespaceLength());
            _bodyStarted = _held.Length > 0;
        }
        return Release(_held.Length - ClosingFenceTailLength(out _));
    }

    /// <summary>
    /// The length of the longest held tail that the rest of the answer could still turn into its closing fence
    /// (whitespace, ``` and whitespace); closed tells whether the tail already holds all three backticks.
    /// </summary>
    private int ClosingFenceTailLength(out bool closed)
    {
        var end = _held.Length;
        var afterFence = end;
        while (afterFence > 0 && char.IsWhiteSpace(_held[afterFence - 1])) afterFence--;
        var fenceStart = afterFence;
        while (fenceStart > 0 && afterFence - fenceStart < Fence.Length && _held[fenceStart - 1] == '`') fenceStart--;
        var backticks = afterFence - fenceStart;
        closed = backticks == Fence.Length;
        // One or two backticks followed by whitespace can no longer become the fence: only that whitespace may still lead up to it.
        if (backticks == 0 || (!closed && afterFence < end)) return end - afterFence;
        var start = fenceStart;
        while (start > 0 && char.IsWhiteSpace(_held[start - 1])) start--;
        return end - start;
    }

    private int LeadingWhitespaceLength()
    {
        var length = 0;
        while (length < _held.Length && char.IsWhiteSpace(_held[length])) length++;
        return length;
    }

    private int IndexOf(char c, int from)
    {
        for (var i = from; i < _held.Length; i++)
            if (_held[i] == c) return i;
        return -1;
    }

    private string Release(int length)
    {
        if (length <= 0) return "";
        var released = _held.ToString(0, length);
        _held.Remove(0, length);
        return released;
    }
}
