using Requesty.Contracts.Events;

namespace Requesty.Router.Pipeline;

/// <summary>
/// Conversation fingerprints for session reconstruction. Each message is reduced to its role
/// and text, so the assistant answer a client sends back in its next request hashes the same
/// as the answer we saw: next request's PrefixHash == this request's ConversationHash.
/// </summary>
public static class SessionHasher
{
    public static SessionHashes Compute(Conversation conversation, string? answer)
    {
        using var digest = new ConversationDigest();
        conversation.WriteTo(digest);
        return digest.Finish(answer);
    }

    public static SessionHashes Compute(IReadOnlyList<(string Role, string Text)> messages, string? answer) =>
        Compute(Conversation.Of(messages), answer);
}
