using System.Text.Json.Nodes;
using static Requesty.Router.Pipeline.Validation.JsonShape;

namespace Requesty.Router.Pipeline.Validation;

/// <summary>The shape of an Anthropic /v1/messages body: every known field has its documented JSON type.</summary>
public static class MessagesRequestRules
{
    public static RequestProblem? Check(JsonObject body) => AnthropicStyle(First(
        String(body["model"], "model"),
        Messages(body["messages"]),
        SystemPrompt(body["system"]),
        Integer(body["max_tokens"], "max_tokens", minimum: 1),
        Bool(body["stream"], "stream"),
        Number(body["temperature"], "temperature"),
        Number(body["top_p"], "top_p"),
        Integer(body["top_k"], "top_k", minimum: 0),
        StringArray(body["stop_sequences"], "stop_sequences"),
        Tools(body["tools"]),
        Object(body["tool_choice"], "tool_choice"),
        Object(body["metadata"], "metadata"),
        Object(body["thinking"], "thinking"),
        Object(body["requesty"], "requesty")));

    /// <summary>Anthropic names the field first: "max_tokens: must be an integer."</summary>
    private static RequestProblem? AnthropicStyle(RequestProblem? problem)
    {
        if (problem is null) return null;
        var quoted = $"'{problem.Param}' ";
        return problem.Message.StartsWith(quoted, StringComparison.Ordinal)
            ? problem with { Message = $"{problem.Param}: {problem.Message[quoted.Length..]}" }
            : problem;
    }

    private static RequestProblem? Messages(JsonNode? node)
    {
        if (Array(node, "messages") is { } problem) return problem;
        if (node is not JsonArray messages) return null;
        for (var i = 0; i < messages.Count; i++)
        {
            var param = $"messages.{i}";
            if (messages[i] is not JsonObject message) return new RequestProblem(param, $"{param}: must be an object.");
            if (JsonBody.String(message["role"]) is not ("user" or "assistant"))
                return new RequestProblem(param + ".role", $"{param}.role: must be 'user' or 'assistant'.");
            if (message["content"] is null) return new RequestProblem(param + ".content", $"{param}.content: is required.");
            if (Blocks(message["content"], param + ".content") is { } blocks) return blocks;
        }
        return null;
    }

    private static RequestProblem? SystemPrompt(JsonNode? node) => Blocks(node, "system");

    /// <summary>A string, or an array of blocks that each have a string "type".</summary>
    private static RequestProblem? Blocks(JsonNode? node, string param)
    {
        if (node is null || Is(node, System.Text.Json.JsonValueKind.String)) return null;
        if (node is not JsonArray blocks) return new RequestProblem(param, $"{param}: must be a string or an array of content blocks.");
        for (var j = 0; j < blocks.Count; j++)
        {
            if (blocks[j] is not JsonObject block || JsonBody.String(block["type"]) is null)
                return new RequestProblem($"{param}.{j}", $"{param}.{j}: must be a content block with a string 'type'.");
        }
        return null;
    }

    private static RequestProblem? StringArray(JsonNode? node, string param)
    {
        if (node is null) return null;
        return node is JsonArray items && items.All(item => item is not null && Is(item, System.Text.Json.JsonValueKind.String))
            ? null
            : new RequestProblem(param, $"{param}: must be an array of strings.");
    }

    private static RequestProblem? Tools(JsonNode? node)
    {
        if (node is null) return null;
        if (node is not JsonArray tools) return new RequestProblem("tools", "tools: must be an array.");
        for (var i = 0; i < tools.Count; i++)
        {
            if (tools[i] is not JsonObject tool || JsonBody.String(tool["name"]) is not { Length: > 0 })
                return new RequestProblem($"tools.{i}.name", $"tools.{i}: must be an object with a string 'name'.");
        }
        return null;
    }
}
