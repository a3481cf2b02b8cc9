using System.Text;
using System.Text.Json.Nodes;

namespace Requesty.Bench.Load;

/// <summary>
/// The request bodies the bench sends to the router: --api chat (OpenAI chat completions) or messages (Anthropic
/// Messages), --conversation short or agent. Both APIs carry the same conversation.
/// </summary>
public static class ChatBodies
{
    public const string Short = "short";
    public const string Agent = "agent";
    public const string ChatApi = "chat";
    public const string MessagesApi = "messages";

    /// <summary>The router's (and the simulator's) path for the API.</summary>
    public static string PathFor(string api) => api == MessagesApi ? "v1/messages" : "v1/chat/completions";

    public static byte[] For(string api, string conversation, bool stream, string? model = null)
    {
        var body = (api, conversation) switch
        {
            (ChatApi, Short) => ShortChat(),
            (ChatApi, Agent) => AgentChat(),
            (MessagesApi, Short) => ShortMessages(),
            (MessagesApi, Agent) => AgentMessages(),
            _ => throw new ArgumentException($"unknown api/conversation '{api}'/'{conversation}'"),
        };
        if (stream) body["stream"] = true;
        if (model is not null) body["model"] = model;
        return Encoding.UTF8.GetBytes(body.ToJsonString());
    }

    private const string ShortSystem = "You are a concise assistant.";
    private const string ShortQuestion = "Give me one sentence about latency budgets in gateways.";

    /// <summary>A system prompt and one question: the gateway's fixed cost per request.</summary>
    private static JsonObject ShortChat() => new()
    {
        ["model"] = "openai/gpt-4o-mini",
        ["messages"] = new JsonArray(
            new JsonObject { ["role"] = "system", ["content"] = ShortSystem },
            new JsonObject { ["role"] = "user", ["content"] = ShortQuestion }),
        ["max_tokens"] = 64,
    };

    private static JsonObject ShortMessages() => new()
    {
        ["model"] = "anthropic/claude-haiku-4-5",
        ["system"] = ShortSystem,
        ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = ShortQuestion }),
        ["max_tokens"] = 64,
    };

    // What a coding agent sends (~50 KB): a long system prompt, eight tools with JSON schemas and a history of twelve
    // turns, each a question, a tool call, its result (a source file) and an answer: the cost that grows with the size
    // of the request.
    private const int Turns = 12;
    private static readonly string[] ToolNames = ["read_file", "write_file", "list_directory", "search_code", "run_tests", "run_command", "git_diff", "open_url"];
    private static readonly string AgentSystem = Repeat(
        "You are a coding agent working in the user's repository. Read files before changing them, keep changes small, " +
        "run the tests after each change and explain what you did in one short paragraph. ", 30);

    private static string Question(int turn) => $"Step {turn}: look at src/module{turn}.cs and tell me what its Parse method does.";
    private static string CallId(int turn) => $"call_{turn:D2}_read";
    private static string Path(int turn) => $"src/module{turn}.cs";
    private static string Answer(int turn) => $"Parse in module {turn} splits the input on commas, trims each part and returns the non-empty ones; " +
        "it allocates one list per call and throws on null input.";
    private const string LastQuestion = "Summarise the modules in one sentence.";
    private static string ToolDescription(string name) => $"The {name.Replace('_', ' ')} tool of the agent. " + Repeat("Use it only when the task needs it. ", 4);
    private static JsonNode ToolSchema() => JsonNode.Parse("""
        {"type":"object","properties":{"path":{"type":"string","description":"Path relative to the repository root"},
         "query":{"type":"string"},"limit":{"type":"integer","minimum":1,"maximum":500}},"required":["path"]}
        """)!;

    private static JsonObject AgentChat()
    {
        var messages = new JsonArray(new JsonObject { ["role"] = "system", ["content"] = AgentSystem });
        for (var turn = 0; turn < Turns; turn++)
        {
            messages.Add(new JsonObject { ["role"] = "user", ["content"] = Question(turn) });
            messages.Add(new JsonObject
            {
                ["role"] = "assistant",
                ["content"] = null,
                ["tool_calls"] = new JsonArray(new JsonObject
                {
                    ["id"] = CallId(turn),
                    ["type"] = "function",
                    ["function"] = new JsonObject { ["name"] = "read_file", ["arguments"] = $$"""{"path":"{{Path(turn)}}"}""" },
                }),
            });
            messages.Add(new JsonObject { ["role"] = "tool", ["tool_call_id"] = CallId(turn), ["content"] = SourceFile(turn) });
            messages.Add(new JsonObject { ["role"] = "assistant", ["content"] = Answer(turn) });
        }
        messages.Add(new JsonObject { ["role"] = "user", ["content"] = LastQuestion });

        var tools = new JsonArray();
        foreach (var name in ToolNames)
            tools.Add(new JsonObject
            {
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = name, ["description"] = ToolDescription(name), ["parameters"] = ToolSchema() },
            });
        return new JsonObject
        {
            ["model"] = "openai/gpt-4o-mini",
            ["messages"] = messages,
            ["tools"] = tools,
            ["tool_choice"] = "auto",
            ["max_tokens"] = 64,
        };
    }

    private static JsonObject AgentMessages()
    {
        var messages = new JsonArray();
        for (var turn = 0; turn < Turns; turn++)
        {
            messages.Add(new JsonObject { ["role"] = "user", ["content"] = Question(turn) });
            messages.Add(new JsonObject
            {
                ["role"] = "assistant",
                ["content"] = new JsonArray(new JsonObject
                {
                    ["type"] = "tool_use", ["id"] = CallId(turn), ["name"] = "read_file", ["input"] = new JsonObject { ["path"] = Path(turn) },
                }),
            });
            messages.Add(new JsonObject
            {
                ["role"] = "user",
                ["content"] = new JsonArray(new JsonObject { ["type"] = "tool_result", ["tool_use_id"] = CallId(turn), ["content"] = SourceFile(turn) }),
            });
            messages.Add(new JsonObject { ["role"] = "assistant", ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = Answer(turn) }) });
        }
        messages.Add(new JsonObject { ["role"] = "user", ["content"] = LastQuestion });

        var tools = new JsonArray();
        foreach (var name in ToolNames)
            tools.Add(new JsonObject { ["name"] = name, ["description"] = ToolDescription(name), ["input_schema"] = ToolSchema() });
        return new JsonObject
        {
            ["model"] = "anthropic/claude-haiku-4-5",
            ["system"] = AgentSystem,
            ["messages"] = messages,
            ["tools"] = tools,
            ["max_tokens"] = 64,
        };
    }

    private static string SourceFile(int module)
    {
        var text = new StringBuilder($"namespace Sample.Module{module};\n\npublic static class Parser{module}\n{{\n");
        for (var method = 0; method < 14; method++)
            text.Append($"    public static IReadOnlyList<string> Parse{method}(string input) =>\n        input.Split(',').Select(part => part.Trim()).Where(part => part.Length > 0).ToList();\n");
        return text.Append("}\n").ToString();
    }

    private static string Repeat(string text, int times) => string.Concat(Enumerable.Repeat(text, times));
}
