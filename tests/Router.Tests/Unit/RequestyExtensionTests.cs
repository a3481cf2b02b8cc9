using System.Text.Json.Nodes;
using Requesty.Router.Pipeline;

namespace Requesty.Router.Tests.Unit;

public class RequestyExtensionTests
{
    [Fact]
    public void Metadata_is_read_and_the_object_is_removed_before_forwarding()
    {
        var body = JsonNode.Parse("""
            {"model":"openai/gpt-4o","messages":[],
             "requesty":{"tags":["prod","chat"],"user_id":"u-42","trace_id":"t-1","extra":{"feature":"search","tries":3}}}
            """)!.AsObject();

        var metadata = RequestyExtension.Extract(body);

        Assert.False(body.ContainsKey("requesty"));
        Assert.Equal(["prod", "chat"], metadata.Tags);
        Assert.Equal("u-42", metadata.UserId);
        Assert.Equal("t-1", metadata.TraceId);
        Assert.Equal("search", metadata.Extra["feature"]);
        Assert.Equal("3", metadata.Extra["tries"]);
    }

    [Fact]
    public void No_extension_gives_empty_metadata()
    {
        var metadata = RequestyExtension.Extract(new JsonObject { ["model"] = "x" });
        Assert.Empty(metadata.Tags);
        Assert.Null(metadata.TraceId);
    }
}
