using System.Text.Json.Nodes;
using Requesty.Router.Catalog;

namespace Requesty.Router.Pipeline.Validation;

/// <summary>
/// Content the target model cannot take, per its catalogue capabilities: images for a model without vision,
/// tools for a model without tool use. Refused up front with a clear 400 rather than an upstream error.
/// </summary>
public static class ModelContentRules
{
    /// <summary>An OpenAI chat body (messages with content parts; tools / functions).</summary>
    public static RequestProblem? CheckChat(JsonObject body, CatalogModel model)
    {
        if (!model.SupportsTools && HasItems(body["tools"])) return NoTools(model, "tools");
        if (!model.SupportsTools && HasItems(body["functions"])) return NoTools(model, "functions");
        if (model.SupportsVision || body["messages"] is not JsonArray messages) return null;
        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i]?["content"] is not JsonArray parts) continue;
            for (var j = 0; j < parts.Count; j++)
            {
                if (JsonBody.String(parts[j]?["type"]) is "image_url" or "input_image") return NoVision(model, $"messages[{i}].content[{j}]");
            }
        }
        return null;
    }

    /// <summary>An Anthropic Messages body (content blocks; tools).</summary>
    public static RequestProblem? CheckMessages(JsonObject body, CatalogModel model)
    {
        if (!model.SupportsTools && HasItems(body["tools"])) return NoTools(model, "tools");
        if (model.SupportsVision || body["messages"] is not JsonArray messages) return null;
        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i]?["content"] is not JsonArray blocks) continue;
            for (var j = 0; j < blocks.Count; j++)
            {
                if (JsonBody.String(blocks[j]?["type"]) == "image") return NoVision(model, $"messages.{i}.content.{j}");
            }
        }
        return null;
    }

    private static bool HasItems(JsonNode? node) => node is JsonArray { Count: > 0 };

    private static RequestProblem NoTools(CatalogModel model, string param) =>
        new(param, $"{param}: the model '{model.Id}' does not support tool use; remove '{param}' or choose a model with tools.", "unsupported_content");

    private static RequestProblem NoVision(CatalogModel model, string param) =>
        new(param, $"{param}: the model '{model.Id}' does not accept image input; send text only or choose a model with vision.", "unsupported_content");
}
