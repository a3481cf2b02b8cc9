using System.Text;
using Requesty.Router.Providers.Anthropic;

namespace Requesty.Router.Tests.Unit.Anthropic;

/// <summary>
/// The streamed answer to JSON asked for by instruction loses its markdown code fence exactly as the non-streamed one
/// (<see cref="AnthropicResponseMapper.WithoutCodeFence"/>), however the upstream splits it into deltas.
/// </summary>
public sealed class StreamingCodeFenceStripperTests
{
    public static TheoryData<string, string> Answers => new()
    {
        { "```json\n{\"a\":1}\n```", "{\"a\":1}" },
        { "```\n{\"a\":1}\n```", "{\"a\":1}" },
        { "  ```json\n\n {\"a\":\"x ``` y\"}\n```\n", "{\"a\":\"x ``` y\"}" },
        { "```json\r\n{\"a\":[1,2]}\r\n```  ", "{\"a\":[1,2]}" },
        { "```json\n{\"a\":\"`\"}````", "{\"a\":\"`\"}`" },
        { "{\"a\":1}", "{\"a\":1}" },
        { "\n {\"a\":\"``\"} ```\n", "\n {\"a\":\"``\"} ```\n" },
        { "Here: ```json\n{}\n```", "Here: ```json\n{}\n```" },
        { "``{}", "``{}" },
        { "```json", "```json" },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public void Every_split_into_three_deltas_gives_the_non_streamed_answer(string answer, string expected)
    {
        Assert.Equal(expected, AnthropicResponseMapper.WithoutCodeFence(answer));
        for (var first = 0; first <= answer.Length; first++)
            for (var second = first; second <= answer.Length; second++)
            {
                string[] deltas = [answer[..first], answer[first..second], answer[second..]];
                Assert.True(expected == Streamed(deltas), $"split as [{string.Join("|", deltas)}]");
            }
    }

    [Theory]
    [MemberData(nameof(Answers))]
    public void One_character_at_a_time_gives_the_non_streamed_answer(string answer, string expected) =>
        Assert.Equal(expected, Streamed(answer.Select(c => c.ToString())));

    [Fact]
    public void An_answer_without_a_fence_is_released_as_soon_as_its_first_character_rules_one_out()
    {
        var stripper = new StreamingCodeFenceStripper();

        Assert.Equal("", stripper.Append("\n "));
        Assert.Equal("\n {\"a\":", stripper.Append("{\"a\":"));
        Assert.Equal("1}\n```", stripper.Append("1}\n```"));
        Assert.Equal("", stripper.Finish());
    }

    [Fact]
    public void Only_what_could_be_the_closing_fence_is_held_back_and_it_is_released_when_more_text_follows()
    {
        var stripper = new StreamingCodeFenceStripper();

        Assert.Equal("", stripper.Append("``"));
        Assert.Equal("", stripper.Append("`json"));
        Assert.Equal("{\"code\":\"", stripper.Append("\n{\"code\":\"\n``"));
        Assert.Equal("", stripper.Append("`"));
        Assert.Equal("\n``` ls\"}", stripper.Append(" ls\"}"));
        Assert.Equal("", stripper.Append("\n```\n"));
        Assert.Equal("", stripper.Finish());
    }

    private static string Streamed(IEnumerable<string> deltas)
    {
        var stripper = new StreamingCodeFenceStripper();
        var client = new StringBuilder();
        foreach (var delta in deltas) client.Append(stripper.Append(delta));
        return client.Append(stripper.Finish()).ToString();
    }
}
