using System.Text;
using Microsoft.AspNetCore.Http;
using Requesty.Router.Pipeline;

namespace Requesty.Router.Tests.Unit;

public sealed class JsonBodyTests
{
    [Theory]
    [InlineData("""{"a":"\ud83d\udc4d"}""", false)] // a whole pair
    [InlineData("""{"a":"\uD83D\uDC4D"}""", false)]
    [InlineData("""{"a":"\ud83d\uDC4D \uD83D\udc4d"}""", false)] // the halves in different case
    [InlineData("""{"a":"\u003E\u0027 \u00e9"}""", false)] // other escapes
    [InlineData("""{"a":"\ud83d"}""", true)] // a high half alone
    [InlineData("""{"a":"\ud83dx"}""", true)]
    [InlineData("""{"a":"\ud83d\u0041"}""", true)] // followed by an escape that is not a low half
    [InlineData("""{"a":"\udc4d"}""", true)] // a low half alone
    [InlineData("""{"a":"\\ud83d"}""", false)] // an escaped backslash, then the text "ud83d"
    [InlineData("""{"a":"\\\ud83d"}""", true)] // an escaped backslash, then a high half alone
    [InlineData("""{"\udc4d":1}""", true)] // in a property name too
    [InlineData("""{"a":"\u00e9 \n \"q\""}""", false)]
    public void Half_a_surrogate_pair_is_found_wherever_it_is_escaped(string json, bool expected)
    {
        Assert.Equal(expected, JsonText.HasLoneSurrogateEscape(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public async Task A_body_is_read_with_or_without_a_byte_order_mark()
    {
        var json = """{"model":"m","messages":[{"role":"user","content":"thumbs \ud83d\udc4d"}]}""";

        var plain = await ReadAsync(Encoding.UTF8.GetBytes(json));
        var withBom = await ReadAsync([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(json)]);

        Assert.Equal("thumbs 👍", plain.Body!["messages"]![0]!["content"]!.GetValue<string>());
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(plain.Body, withBom.Body));
    }

    [Theory]
    [InlineData("""[1,2]""", "must be a JSON object")]
    [InlineData("""{"a":""", "not valid JSON")]
    [InlineData("""{"a":"\udc4d"}""", "surrogate")]
    public async Task What_is_not_a_readable_object_says_why(string json, string problem)
    {
        var read = await ReadAsync(Encoding.UTF8.GetBytes(json));

        Assert.Null(read.Body);
        Assert.Contains(problem, read.Problem, StringComparison.Ordinal);
    }

    private static Task<JsonBody.BodyRead> ReadAsync(byte[] body)
    {
        var http = new DefaultHttpContext();
        http.Request.Body = new MemoryStream(body);
        http.Request.ContentLength = body.Length;
        return JsonBody.ReadAsync(http.Request, CancellationToken.None);
    }
}
