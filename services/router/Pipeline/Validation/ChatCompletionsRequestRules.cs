using System.Text.Json.Nodes;
using static Requesty.Router.Pipeline.Validation.JsonShape;

namespace Requesty.Router.Pipeline.Validation;

/// <summary>The shape of a /v1/chat/completions body: every known field has its documented JSON type.</summary>
public static class ChatCompletionsRequestRules
{
    private static readonly HashSet<string> Roles = ["system", "developer", "user", "assistant", "tool", "function"];

    public static RequestProblem? Check(JsonObject body) => First(
        String(body["model"], "model"),
        Messages(body["messages"]),
        StringOrStringArray(body["prompt"], "prompt"),
        Bool(body["stream"], "stream"),
        Object(body["stream_options"], "stream_options"),
        Bool(body["stream_options"]?["include_usage"], "stream_options.include_usage"),
        Integer(body["max_tokens"], "max_tokens", minimum: 1),
        Integer(body["max_completion_tokens"], "max_completion_tokens", minimum: 1),
        Integer(body["n"], "n", minimum: 1),
        Integer(body["seed"], "seed"),
        Number(body["temperature"], "temperature"),
        Number(body["top_p"], "top_p"),
        Number(body["presence_penalty"], "presence_penalty"),
        Number(body["frequency_penalty"], "frequency_penalty"),
        StringOrStringArray(body["stop"], "stop"),
        Tools(body["tools"], "tools"),
        StringOrObject(body["tool_choice"], "tool_choice"),
        Bool(body["parallel_tool_calls"], "parallel_tool_calls"),
        Functions(body["functions"]),
        StringOrObject(body["function_call"], "function_call"),
        ResponseFormat(body["response_format"]),
        String(body["user"], "user"),
        String(body["reasoning_effort"], "reasoning_effort"),
        Object(body["metadata"], "metadata"),
        Bool(body["logprobs"], "logprobs"),
        Integer(body["top_logprobs"], "top_logprobs", minimum: 0),
        Object(body["requesty"], "requesty"));

    private static RequestProblem? Messages(JsonNode? node)
    {
        if (Array(node, "messages") is { } problem) return problem;
        if (node is not JsonArray messages) return null;
        for (var i = 0; i < messages.Count; i++)
        {
            if (Message(messages[i], i) is { } messageProblem) return messageProblem;
        }
        return null;
    }

    /// <summary>One message; field names (messages[i]...) are only built for a problem: this runs for every message of every request.</summary>
    private static RequestProblem? Message(JsonNode? node, int i)
    {
        if (node is not JsonObject message) return new RequestProblem($"messages[{i}]", $"'messages[{i}]' must be an object.");
        if (message["role"] is not { } role || !IsOptionalString(role) || !Roles.Contains(role.GetValue<string>()))
            return new RequestProblem($"messages[{i}].role", $"'messages[{i}].role' must be one of {string.Join(", ", Roles)}.");
        var content = message["content"];
        if (!IsOptionalStringOrArray(content)) return StringOrArray(content, $"messages[{i}].content");
        if (content is JsonArray parts)
        {
            for (var j = 0; j < parts.Count; j++)
            {
                if (parts[j] is not JsonObject part || part["type"] is not { } type || !IsOptionalString(type))
                    return new RequestProblem($"messages[{i}].content[{j}]", $"'messages[{i}].content[{j}]' must be an object with a string 'type'.");
            }
        }
        var toolCalls = message["tool_calls"];
        return IsOptionalArray(toolCalls) ? null : Array(toolCalls, $"messages[{i}].tool_calls");
    }

    private static RequestProblem? Tools(JsonNode? node, string param)
    {
        if (Array(node, param) is { } problem) return problem;
        if (node is not JsonArray tools) return null;
        for (var i = 0; i < tools.Count; i++)
        {
            var toolParam = $"{param}[{i}]";
            if (tools[i] is not JsonObject tool) return new RequestProblem(toolParam, $"'{toolParam}' must be an object.");
            if (String(tool["type"], toolParam + ".type") is { } type) return type;
            if (JsonBody.String(tool["type"]) is null or "function"
                && (tool["function"] is not JsonObject function || JsonBody.String(function["name"]) is not { Length: > 0 }))
                return new RequestProblem(toolParam + ".function.name", $"'{toolParam}.function.name' must be a string: a function tool needs an object 'function' with a 'name'.");
        }
        return null;
    }

    private static RequestProblem? Functions(JsonNode? node)
    {
        if (Array(node, "functions") is { } problem) return problem;
        if (node is not JsonArray functions) return null;
        for (var i = 0; i < functions.Count; i++)
        {
            if (functions[i] is not JsonObject function || JsonBody.String(function["name"]) is not { Length: > 0 })
                return new RequestProblem($"functions[{i}].name", $"'functions[{i}]' must be an object with a string 'name'.");
        }
        return null;
    }

    private static RequestProblem? ResponseFormat(JsonNode? node)
    {
        if (Object(node, "response_format") is { } problem) return problem;
        return node is JsonObject format && JsonBody.String(format["type"]) is null
            ? new RequestProblem("response_format.type", "'response_format.type' must be a string (text, json_object or json_schema).")
            : null;
    }
}
