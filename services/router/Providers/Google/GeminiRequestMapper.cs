using System.Text.Json;
using System.Text.Json.Nodes;
using Requesty.Router.Catalog;
using Requesty.Router.Pipeline;

namespace Requesty.Router.Providers.Google;

/// <summary>OpenAI chat completion request -> Gemini generateContent request.</summary>
public static class GeminiRequestMapper
{
    /// <param name="model">The model served (its limits shape the thinking budget); null uses the defaults.</param>
    public static JsonObject FromOpenAIChat(JsonObject chat, CatalogModel? model = null)
    {
        var system = new JsonArray();
        var contents = new JsonArray();
        var toolNamesById = new Dictionary<string, string>();
        foreach (var message in (chat["messages"] as JsonArray ?? []).OfType<JsonObject>())
        {
            switch (JsonBody.String(message["role"]))
            {
                case "system" or "developer":
                    foreach (var part in Parts(message["content"])) system.Add(part);
                    break;
                case "assistant":
                    Append(contents, "model", AssistantParts(message, toolNamesById));
                    break;
                case "tool" or "function":
                    Append(contents, "user", [FunctionResponse(message, toolNamesById)]);
                    break;
                default:
                    Append(contents, "user", Parts(message["content"]));
                    break;
            }
        }

        var request = new JsonObject { ["contents"] = contents };
        if (system.Count > 0) request["systemInstruction"] = new JsonObject { ["parts"] = system };
        var generation = GenerationConfig(chat, model);
        if (generation.Count > 0) request["generationConfig"] = generation;
        if (Tools(chat) is { Count: > 0 } declarations)
        {
            request["tools"] = new JsonArray(new JsonObject { ["functionDeclarations"] = declarations });
            if (ToolConfig(chat["tool_choice"]) is { } config) request["toolConfig"] = config;
        }
        return request;
    }

    private static void Append(JsonArray contents, string role, List<JsonNode> parts)
    {
        if (parts.Count == 0) return;
        if (contents.Count > 0 && contents[^1] is JsonObject last && JsonBody.String(last["role"]) == role && last["parts"] is JsonArray existing)
        {
            foreach (var part in parts) existing.Add(part);
            return;
        }
        contents.Add(new JsonObject { ["role"] = role, ["parts"] = new JsonArray([.. parts]) });
    }

    private static List<JsonNode> Parts(JsonNode? content)
    {
        var parts = new List<JsonNode>();
        if (JsonBody.String(content) is { } text)
        {
            if (text.Length > 0) parts.Add(new JsonObject { ["text"] = text });
            return parts;
        }
        foreach (var part in (content as JsonArray ?? []).OfType<JsonObject>())
        {
            switch (JsonBody.String(part["type"]))
            {
                case "text":
                    parts.Add(new JsonObject { ["text"] = JsonBody.String(part["text"]) ?? "" });
                    break;
                case "image_url":
                    var url = JsonBody.String(part["image_url"] is JsonObject o ? o["url"] : part["image_url"]);
                    if (url is not null) parts.Add(Media(url, JsonBody.String(part["image_url"]?["mime_type"]) ?? "image/jpeg"));
                    break;
                case "file" or "input_file":
                    var file = part["file"] ?? part;
                    var data = JsonBody.String(file["file_data"]) ?? JsonBody.String(file["url"]) ?? JsonBody.String(file["file_url"]);
                    if (data is not null) parts.Add(Media(data, "application/pdf"));
                    break;
            }
        }
        return parts;
    }

    private static JsonObject Media(string url, string mimeType)
    {
        if (url.StartsWith("data:", StringComparison.Ordinal) && url.IndexOf(";base64,", StringComparison.Ordinal) is var marker and > 5)
            return new JsonObject { ["inlineData"] = new JsonObject { ["mimeType"] = url[5..marker], ["data"] = url[(marker + 8)..] } };
        return new JsonObject { ["fileData"] = new JsonObject { ["mimeType"] = mimeType, ["fileUri"] = url } };
    }

    private static List<JsonNode> AssistantParts(JsonObject message, Dictionary<string, string> toolNamesById)
    {
        var parts = Parts(message["content"]);
        foreach (var call in (message["tool_calls"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = JsonBody.String(call["function"]?["name"]) ?? "";
            if (JsonBody.String(call["id"]) is { } id) toolNamesById[id] = name;
            parts.Add(new JsonObject { ["functionCall"] = new JsonObject { ["name"] = name, ["args"] = Arguments(JsonBody.String(call["function"]?["arguments"])) } });
        }
        return parts;
    }

    private static JsonObject FunctionResponse(JsonObject message, Dictionary<string, string> toolNamesById)
    {
        var id = JsonBody.String(message["tool_call_id"]);
        var name = JsonBody.String(message["name"]) ?? (id is not null && toolNamesById.TryGetValue(id, out var known) ? known : "tool");
        var text = JsonBody.String(message["content"]) ?? message["content"]?.ToJsonString() ?? "";
        return new JsonObject
        {
            ["functionResponse"] = new JsonObject { ["name"] = name, ["response"] = new JsonObject { ["content"] = text } },
        };
    }

    private static JsonNode Arguments(string? arguments)
    {
        try
        {
            return string.IsNullOrWhiteSpace(arguments) ? new JsonObject() : JsonNode.Parse(arguments) ?? new JsonObject();
        }
        catch (JsonException)
        {
            return new JsonObject();
        }
    }

    private static JsonObject GenerationConfig(JsonObject chat, CatalogModel? model)
    {
        var config = new JsonObject();
        if ((Number(chat["max_completion_tokens"]) ?? Number(chat["max_tokens"])) is { } max) config["maxOutputTokens"] = max;
        if (chat["temperature"] is JsonValue t && t.TryGetValue<double>(out var temperature)) config["temperature"] = temperature;
        if (chat["top_p"] is JsonValue p && p.TryGetValue<double>(out var topP)) config["topP"] = topP;
        if (Number(chat["n"]) is { } n and > 1) config["candidateCount"] = n;
        if (Number(chat["seed"]) is { } seed) config["seed"] = seed;
        switch (chat["stop"])
        {
            case JsonValue stop when stop.TryGetValue<string>(out var single): config["stopSequences"] = new JsonArray(single); break;
            case JsonArray stops: config["stopSequences"] = stops.DeepClone(); break;
        }
        switch (JsonBody.String(chat["response_format"]?["type"]))
        {
            case "json_object":
                config["responseMimeType"] = "application/json";
                break;
            case "json_schema":
                config["responseMimeType"] = "application/json";
                if (chat["response_format"]?["json_schema"]?["schema"] is JsonObject schema) config["responseJsonSchema"] = schema.DeepClone();
                break;
        }
        if (JsonBody.String(chat["reasoning_effort"]) is { } effort)
        {
            var budget = ThinkingBudget(effort, model);
            config["thinkingConfig"] = new JsonObject { ["thinkingBudget"] = budget, ["includeThoughts"] = budget > 0 };
        }
        return config;
    }

    /// <summary>
    /// Effort to Gemini thinking budget (Google's OpenAI-compatibility table): none/min 0 (128 for Pro models, which
    /// cannot switch thinking off), low 1024, medium 8192, high 24576, max the model's output limit; a number is a
    /// budget, capped at the output limit.
    /// </summary>
    public static int ThinkingBudget(string effort, CatalogModel? model)
    {
        var maxOutput = model?.MaxOutputTokens is > 0 and var limit ? limit : 24576;
        if (int.TryParse(effort, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var budget))
            return Math.Min(budget, maxOutput);
        return effort.ToLowerInvariant() switch
        {
            "none" or "min" or "minimal" => model?.UpstreamModel.Contains("-pro", StringComparison.OrdinalIgnoreCase) == true ? 128 : 0,
            "low" => 1024,
            "medium" => 8192,
            "max" => maxOutput,
            _ => Math.Min(24576, maxOutput),
        };
    }

    private static JsonArray Tools(JsonObject chat)
    {
        var declarations = new JsonArray();
        foreach (var tool in (chat["tools"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (tool["function"] is not JsonObject function) continue;
            var declaration = new JsonObject { ["name"] = JsonBody.String(function["name"]) ?? "" };
            if (JsonBody.String(function["description"]) is { } description) declaration["description"] = description;
            if (function["parameters"] is JsonObject parameters) declaration["parametersJsonSchema"] = parameters.DeepClone();
            declarations.Add(declaration);
        }
        return declarations;
    }

    private static JsonObject? ToolConfig(JsonNode? choice)
    {
        JsonObject? mode = JsonBody.String(choice) switch
        {
            "none" => new JsonObject { ["mode"] = "NONE" },
            "auto" => new JsonObject { ["mode"] = "AUTO" },
            "required" => new JsonObject { ["mode"] = "ANY" },
            _ => null,
        };
        if (choice is JsonObject named && JsonBody.String(named["function"]?["name"]) is { } name)
            mode = new JsonObject { ["mode"] = "ANY", ["allowedFunctionNames"] = new JsonArray(name) };
        return mode is null ? null : new JsonObject { ["functionCallingConfig"] = mode };
    }

    private static int? Number(JsonNode? node) => node is JsonValue v && v.TryGetValue<int>(out var n) ? n : null;
}
