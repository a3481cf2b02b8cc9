using Requesty.Contracts.Events;

namespace Requesty.Router.Pipeline;

/// <summary>
/// Conversation fingerprints for session reconstruction. Each message is reduced to its role
/// and text, so the assistant answer a client sends back in its next request hashes the same
/// as the answer we saw: next request's PrefixHash == this request's ConversationHash.
/// </summary>
public static class SessionHasher
{
    // The journal writer hashes every request on one thread: its digest (an OpenSSL hash context and a text buffer) is
    // made once, not per event. Taken out while in use, so a nested or failed call starts from a fresh one.
    [ThreadStatic] private static ConversationDigest? t_digest;

    public static SessionHashes Compute(Conversation conversation, string? answer)
    {
        var digest = t_digest ?? new ConversationDigest();
        t_digest = null;
        try
        {
            conversation.WriteTo(digest);
            var hashes = digest.Finish(answer);
            if (digest.Reset()) t_digest = digest;
            return hashes;
        }
        catch
        {
            digest.Dispose();
            throw;
        }
    }

    public static SessionHashes Compute(IReadOnlyList<(string Role, string Text)> messages, string? answer) =>
        Compute(Conversation.Of(messages), answer);
}
