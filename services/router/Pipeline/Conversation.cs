using System.Text.Json.Nodes;

namespace Requesty.Router.Pipeline;

/// <summary>
/// The messages a request's session hashes are made of. Only the event needs them, and the journal writer builds the
/// event after the response, so a conversation in the client's own JSON (chat completions, Anthropic messages) is read
/// there, as UTF-8 straight from the request's bytes: the request's thread copies none of its text. Hence nothing may
/// change the client's messages in place once a request is dispatched (providers write their own upstream bodies and
/// change top-level fields only; a policy's candidates get deep clones).
/// </summary>
public sealed class Conversation
{
    private readonly JsonArray? _openAIMessages;
    private readonly JsonObject? _anthropicRequest;
    private readonly IReadOnlyList<(string Role, string Text)>? _list;

    private Conversation(JsonArray? openAIMessages, JsonObject? anthropicRequest, IReadOnlyList<(string Role, string Text)>? list)
    {
        _openAIMessages = openAIMessages;
        _anthropicRequest = anthropicRequest;
        _list = list;
    }

    /// <summary>OpenAI-format messages: each one's role and text (a string, or its text parts joined; other parts ignored).</summary>
    public static Conversation OfOpenAIChat(JsonArray messages) => new(messages, null, null);

    /// <summary>An Anthropic Messages request: its system prompt (when not empty), then each message's role and text blocks.</summary>
    public static Conversation OfAnthropicMessages(JsonObject request) => new(null, request, null);

    /// <summary>No conversation (embeddings, images): no session hashes.</summary>
    public static Conversation None { get; } = new(null, null, []);

    /// <summary>Roles and texts an endpoint already has as strings.</summary>
    public static Conversation Of(IReadOnlyList<(string Role, string Text)> messages) => new(null, null, messages);

    internal void WriteTo(ConversationDigest digest)
    {
        if (_list is not null) WriteList(_list, digest);
        else if (_openAIMessages is not null) WriteMessages(_openAIMessages, defaultRole: "", digest);
        else if (_anthropicRequest is not null) WriteAnthropic(_anthropicRequest, digest);
    }

    private static void WriteList(IReadOnlyList<(string Role, string Text)> messages, ConversationDigest digest)
    {
        for (var i = 0; i < messages.Count; i++)
        {
            digest.Text.Clear();
            digest.Text.Append(messages[i].Text);
            digest.Add(messages[i].Role, last: i == messages.Count - 1);
        }
    }

    private static void WriteAnthropic(JsonObject request, ConversationDigest digest)
    {
        var messages = request["messages"] as JsonArray;
        digest.Text.Clear();
        if (AppendText(request["system"], digest.Text) && digest.Text.Written.Length > 0)
            digest.Add("system", last: LastObject(messages) < 0);
        if (messages is not null) WriteMessages(messages, defaultRole: "user", digest);
    }

    private static void WriteMessages(JsonArray messages, string defaultRole, ConversationDigest digest)
    {
        var last = LastObject(messages);
        for (var i = 0; i <= last; i++)
        {
            if (messages[i] is not JsonObject message) continue;
            digest.Text.Clear();
            AppendText(message["content"], digest.Text);
            digest.Add(JsonBody.String(message["role"]) ?? defaultRole, last: i == last);
        }
    }

    private static int LastObject(JsonArray? messages)
    {
        for (var i = (messages?.Count ?? 0) - 1; i >= 0; i--)
        {
            if (messages![i] is JsonObject) return i;
        }
        return -1;
    }

    /// <summary>A string's text, or the text of an array's {"type":"text"} parts (blocks) joined; false for anything else.</summary>
    private static bool AppendText(JsonNode? content, Utf8Buffer text)
    {
        if (text.TryAppendString(content)) return true;
        if (content is not JsonArray parts) return false;
        foreach (var part in parts)
        {
            if (part is JsonObject block && JsonBody.String(block["type"]) == "text") text.TryAppendString(block["text"]);
        }
        return true;
    }
}
