using Requesty.Analytics.Application.Queries.Sessions;

namespace Requesty.Analytics.Tests.Unit;

public class SessionReconstructorTests
{
    private static SessionRequestRow Row(int id, string at, string prefix, string conversation) => new()
    {
        RequestId = new Guid(id, 0, 0, new byte[8]), StartedAt = at, PrefixHash = prefix, ConversationHash = conversation, Cost = "0.1", Model = "m",
    };

    [Fact]
    public void A_request_continuing_an_earlier_conversation_joins_its_session_even_in_the_same_second()
    {
        var threads = SessionReconstructor.Reconstruct(
        [
            Row(3, "2025-01-01 00:00:05", "C1", "C2"),
            Row(1, "2025-01-01 00:00:00", "S", "C1"),
            Row(2, "2025-01-01 00:00:05", "S", "D1"),
            Row(4, "2025-01-01 00:00:09", "", ""),
        ]);

        Assert.Equal(3, threads.Count);
        var first = threads.Single(t => t.Summary.SessionId == new Guid(1, 0, 0, new byte[8]));
        Assert.Equal(2, first.Summary.Requests);
        Assert.Equal(0.2m, first.Summary.CostUsd);
        Assert.Equal(new Guid(1, 0, 0, new byte[8]), first.Requests[1].ParentRequestId);
    }

    [Fact]
    public void Hash_loops_cannot_hang_reconstruction()
    {
        var threads = SessionReconstructor.Reconstruct(
        [
            Row(1, "2025-01-01 00:00:00", "B", "A"),
            Row(2, "2025-01-01 00:00:00", "A", "B"),
        ]);

        Assert.Equal(2, threads.Sum(t => t.Summary.Requests));
    }
}
