using System.Text;
using System.Text.Json.Nodes;
using Requesty.Contracts.Events;

namespace Requesty.Router.Providers.OpenAI;

public static class OpenAIToolCalls
{
    /// <summary>Names of the tools (and legacy functions) a request offers.</summary>
    public static IEnumerable<ToolOffered> Offered(JsonObject request)
    {
        if (request["tools"] is JsonArray tools)
        {
            foreach (var tool in tools.OfType<JsonObject>())
            {
                if (tool["function"]?["name"]?.GetValue<string>() is { } name) yield return new ToolOffered { Name = name };
            }
        }
        if (request["functions"] is JsonArray functions)
        {
            foreach (var function in functions.OfType<JsonObject>())
            {
                if (function["name"]?.GetValue<string>() is { } name) yield return new ToolOffered { Name = name };
            }
        }
    }

    /// <summary>Tool calls in a non-streamed chat completion (every choice).</summary>
    public static IEnumerable<ToolCallMade> Made(JsonNode? response)
    {
        if (response?["choices"] is not JsonArray choices) yield break;
        foreach (var choice in choices.OfType<JsonObject>())
        {
            if (choice["message"]?["tool_calls"] is not JsonArray calls) continue;
            foreach (var call in calls.OfType<JsonObject>())
            {
                var arguments = call["function"]?["arguments"]?.GetValue<string>() ?? "";
                yield return new ToolCallMade
                {
                    Id = call["id"]?.GetValue<string>(),
                    Name = call["function"]?["name"]?.GetValue<string>() ?? "",
                    ArgumentsBytes = Encoding.UTF8.GetByteCount(arguments),
                };
            }
        }
    }
}

/// <summary>Reassembles tool calls from streamed deltas (id and name arrive once, arguments in pieces).</summary>
public sealed class StreamedToolCalls
{
    private readonly SortedDictionary<int, (string? Id, string Name, int ArgumentBytes)> _calls = [];

    public void Add(JsonArray deltas)
    {
        foreach (var delta in deltas.OfType<JsonObject>())
        {
            var index = delta["index"] is JsonValue v && v.TryGetValue<int>(out var i) ? i : 0;
            var arguments = delta["function"]?["arguments"]?.GetValue<string>();
            Add(index, delta["id"]?.GetValue<string>(), delta["function"]?["name"]?.GetValue<string>(),
                arguments is null ? 0 : Encoding.UTF8.GetByteCount(arguments));
        }
    }

    /// <summary>One delta: the id and name when it carries them, and how many bytes of arguments it adds.</summary>
    public void Add(int index, string? id, string? name, int argumentBytes)
    {
        _calls.TryGetValue(index, out var call);
        call.Name ??= "";
        if (id is not null) call.Id = id;
        if (name is { Length: > 0 }) call.Name = name;
        call.ArgumentBytes += argumentBytes;
        _calls[index] = call;
    }

    public IEnumerable<ToolCallMade> Made() =>
        _calls.Values.Select(c => new ToolCallMade { Id = c.Id, Name = c.Name, ArgumentsBytes = c.ArgumentBytes });
}
