using System.Text;
using System.Text.Json.Nodes;

namespace Requesty.Bench.Load;

/// <summary>The chat completion bodies the bench sends to the router (--conversation).</summary>
public static class ChatBodies
{
    public const string Short = "short";
    public const string Agent = "agent";

    public static byte[] For(string conversation, bool stream)
    {
        var body = conversation switch
        {
            Short => ShortConversation(),
            Agent => AgentConversation(),
            _ => throw new ArgumentException($"unknown conversation '{conversation}' (short or agent)"),
        };
        if (stream) body["stream"] = true;
        return Encoding.UTF8.GetBytes(body.ToJsonString());
    }

    /// <summary>A system prompt and one question: the gateway's fixed cost per request.</summary>
    private static JsonObject ShortConversation() => new()
    {
        ["model"] = "openai/gpt-4o-mini",
        ["messages"] = new JsonArray(
            new JsonObject { ["role"] = "system", ["content"] = "You are a concise assistant." },
            new JsonObject { ["role"] = "user", ["content"] = "Give me one sentence about latency budgets in gateways." }),
        ["max_tokens"] = 64,
    };

    /// <summary>
    /// What a coding agent sends (~50 KB): a long system prompt, eight tools with JSON schemas and a history of
    /// twelve turns, each a question, a tool call, its result (a source file) and an answer: the cost that grows
    /// with the size of the request.
    /// </summary>
    private static JsonObject AgentConversation()
    {
        var messages = new JsonArray(new JsonObject { ["role"] = "system", ["content"] = Repeat(
            "You are a coding agent working in the user's repository. Read files before changing them, keep changes small, " +
            "run the tests after each change and explain what you did in one short paragraph. ", 30) });
        for (var turn = 0; turn < 12; turn++)
        {
            var callId = $"call_{turn:D2}_read";
            messages.Add(new JsonObject { ["role"] = "user", ["content"] = $"Step {turn}: look at src/module{turn}.cs and tell me what its Parse method does." });
            messages.Add(new JsonObject
            {
                ["role"] = "assistant",
                ["content"] = null,
                ["tool_calls"] = new JsonArray(new JsonObject
                {
                    ["id"] = callId,
                    ["type"] = "function",
                    ["function"] = new JsonObject { ["name"] = "read_file", ["arguments"] = $$"""{"path":"src/module{{turn}}.cs"}""" },
                }),
            });
            messages.Add(new JsonObject { ["role"] = "tool", ["tool_call_id"] = callId, ["content"] = SourceFile(turn) });
            messages.Add(new JsonObject
            {
                ["role"] = "assistant",
                ["content"] = $"Parse in module {turn} splits the input on commas, trims each part and returns the non-empty ones; " +
                    "it allocates one list per call and throws on null input.",
            });
        }
        messages.Add(new JsonObject { ["role"] = "user", ["content"] = "Summarise the modules in one sentence." });

        var tools = new JsonArray();
        foreach (var name in new[] { "read_file", "write_file", "list_directory", "search_code", "run_tests", "run_command", "git_diff", "open_url" })
            tools.Add(new JsonObject
            {
                ["type"] = "function",
                ["function"] = new JsonObject
                {
                    ["name"] = name,
                    ["description"] = $"The {name.Replace('_', ' ')} tool of the agent. " + Repeat("Use it only when the task needs it. ", 4),
                    ["parameters"] = JsonNode.Parse("""
                        {"type":"object","properties":{"path":{"type":"string","description":"Path relative to the repository root"},
                         "query":{"type":"string"},"limit":{"type":"integer","minimum":1,"maximum":500}},"required":["path"]}
                        """),
                },
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

    private static string SourceFile(int module)
    {
        var text = new StringBuilder($"namespace Sample.Module{module};\n\npublic static class Parser{module}\n{{\n");
        for (var method = 0; method < 14; method++)
            text.Append($"    public static IReadOnlyList<string> Parse{method}(string input) =>\n        input.Split(',').Select(part => part.Trim()).Where(part => part.Length > 0).ToList();\n");
        return text.Append("}\n").ToString();
    }

    private static string Repeat(string text, int times) => string.Concat(Enumerable.Repeat(text, times));
}
