using Requesty.Router.Endpoints.Feedback;
using Requesty.Router.Endpoints.Messages;
using Requesty.Router.Pipeline;

namespace Requesty.Router.Tests.Unit;

public class FeedbackIdsTests
{
    [Fact]
    public void Request_ids_are_read_from_every_id_form_an_answer_carries()
    {
        var id = Guid.NewGuid();

        Assert.Equal(id, FeedbackEndpoints.ParseRequestId(id.ToString()));
        Assert.Equal(id, FeedbackEndpoints.ParseRequestId(MessagesHandler.MessageId(id)));
        Assert.Equal(id, FeedbackEndpoints.ParseRequestId("chatcmpl-" + id));
        Assert.Null(FeedbackEndpoints.ParseRequestId("chatcmpl-abc"));
    }

    [Fact]
    public void Recent_requests_forget_the_oldest_beyond_capacity()
    {
        var recent = new RecentRequests(capacity: 2);
        var org = Guid.NewGuid();
        var (a, b, c) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        recent.Remember(a, org);
        recent.Remember(b, org);
        recent.Remember(c, org);

        Assert.False(recent.TryGetOrganization(a, out _));
        Assert.True(recent.TryGetOrganization(c, out var found));
        Assert.Equal(org, found);
    }
}
