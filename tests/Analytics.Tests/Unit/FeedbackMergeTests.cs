using System.Text.Json.Nodes;
using Requesty.Analytics.Application.Feedback;

namespace Requesty.Analytics.Tests.Unit;

public class FeedbackMergeTests
{
    [Fact]
    public void Later_keys_overwrite_and_other_keys_stay()
    {
        var merged = FeedbackMerge.Merge("""{"rating":5,"comment":"great"}""", JsonNode.Parse("""{"rating":2,"tags":["slow"]}""")!.AsObject());

        Assert.Equal(2, merged["rating"]!.GetValue<int>());
        Assert.Equal("great", merged["comment"]!.GetValue<string>());
        Assert.Equal("slow", merged["tags"]![0]!.GetValue<string>());
    }

    [Fact]
    public void Merging_the_same_update_twice_changes_nothing()
    {
        var update = JsonNode.Parse("""{"rating":4}""")!.AsObject();
        var once = FeedbackMerge.Merge("""{"a":1}""", update);
        var twice = FeedbackMerge.Merge(once.ToJsonString(), update);
        Assert.Equal(once.ToJsonString(), twice.ToJsonString());
    }
}
