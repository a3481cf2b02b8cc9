using System.ClientModel;
using OpenAI.Chat;
using Requesty.Router.Pipeline;

namespace Requesty.Router.Tests.Integration;

/// <summary>
/// RequestCompleted.Session on the real RabbitMQ: the hashes analytics joins a conversation's requests by. They are
/// made by the journal writer from what the request kept, after the response has gone.
/// </summary>
public sealed class SessionHashesTests(RouterWithEvents fixture) : IClassFixture<RouterWithEvents>
{
    [Fact]
    public async Task A_follow_up_request_continues_the_session_of_the_answer_it_sends_back()
    {
        var client = new ChatClient("openai/gpt-4o-mini", new ApiKeyCredential(fixture.Harness.ApiKey), fixture.Harness.OpenAIOptions());
        List<ChatMessage> messages = [new SystemChatMessage("Be brief."), new UserChatMessage($"Plan a trip {Guid.NewGuid():N}")];

        var first = await client.CompleteChatAsync(messages);
        var firstEvent = await fixture.PublishedAsync(first.GetRawResponse());
        var answer = first.Value.Content[0].Text;
        Assert.False(string.IsNullOrEmpty(answer));

        messages.Add(new AssistantChatMessage(answer));
        messages.Add(new UserChatMessage("And the way back?"));
        var second = await client.CompleteChatAsync(messages);
        var secondEvent = await fixture.PublishedAsync(second.GetRawResponse());

        var expectedFirst = SessionHasher.Compute([("system", "Be brief."), ("user", ((UserChatMessage)messages[1]).Content[0].Text)], answer);
        Assert.Equal(expectedFirst.ConversationHash, firstEvent.Session.ConversationHash);
        Assert.Equal(expectedFirst.PrefixHash, firstEvent.Session.PrefixHash);
        Assert.NotNull(firstEvent.Session.ConversationHash);
        Assert.Equal(firstEvent.Session.ConversationHash, secondEvent.Session.PrefixHash);
        Assert.Equal(firstEvent.Session.FirstMessageHash, secondEvent.Session.FirstMessageHash);
        Assert.NotEqual(firstEvent.Session.ConversationHash, secondEvent.Session.ConversationHash);
    }

    [Fact]
    public async Task A_request_that_fails_before_an_answer_has_no_session_hashes()
    {
        var client = new ChatClient("openai/no-such-model", new ApiKeyCredential(fixture.Harness.ApiKey), fixture.Harness.OpenAIOptions());

        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync([new UserChatMessage("Hello")]));
        var published = await fixture.PublishedAsync(error.GetRawResponse()!);

        Assert.Equal("error", published.Status);
        Assert.Null(published.Session.ConversationHash);
        Assert.Null(published.Session.PrefixHash);
    }
}
