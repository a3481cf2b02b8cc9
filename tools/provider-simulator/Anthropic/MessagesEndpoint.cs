using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Requesty.ProviderSimulator.Behaviour;
using Requesty.ProviderSimulator.Generation;
using Requesty.ProviderSimulator.Infrastructure;
using Requesty.ProviderSimulator.Streaming;

namespace Requesty.ProviderSimulator.Anthropic;

/// <summary>POST /v1/messages (JSON or the Anthropic SSE event sequence) and POST /v1/messages/count_tokens.</summary>
public static class MessagesEndpoint
{
    public static async Task HandleAsync(HttpContext context, BehaviourGate gate, PromptCacheTracker cache)
    {
        if (!await AnthropicErrors.AuthorisedAsync(context)) return;
        if (await ReadAsync(context) is not { } request) return;
        var (body, model) = request;
        await ServeAsync(context, gate, cache, body, model);
    }

    /// <summary>An authorised Messages call whose model is known (the Anthropic API and Vertex rawPredict share it).</summary>
    public static async Task ServeAsync(HttpContext context, BehaviourGate gate, PromptCacheTracker cache, JsonObject body, string model)
    {
        if (body.Prop("messages") is not JsonArray)
        {
            await AnthropicErrors.BadRequestAsync(context, "messages: Field required");
            return;
        }
        if (body.Prop("max_tokens").Int() is not > 0)
        {
            await AnthropicErrors.BadRequestAsync(context, "max_tokens: Field required");
            return;
        }
        if (StructuredOutputRules.Problem(body) is { } formatProblem)
        {
            await AnthropicErrors.BadRequestAsync(context, formatProblem);
            return;
        }
        var (behaviour, problem) = gate.Resolve(context, ProviderNames.Anthropic, model);
        if (problem is not null)
        {
            await AnthropicErrors.BadRequestAsync(context, problem);
            return;
        }
        if (await gate.InterceptAsync(context, behaviour, AnthropicErrors.Body)) return;

        var prompt = MessagesRequest.Summarise(body, model);
        var answer = AnswerPlanner.Plan(prompt.Summary, behaviour);
        var usage = Usage(answer, prompt, cache, model);
        var blocks = Blocks(answer);
        var id = Ids.New("msg_");

        if (body.Prop("stream").Bool() == true)
        {
            await StreamAsync(context, gate, behaviour, id, model, answer, blocks, usage);
            return;
        }
        await context.Response.WriteJsonAsync(new JsonObject
        {
            ["id"] = id,
            ["type"] = "message",
            ["role"] = "assistant",
            ["model"] = model,
            ["content"] = new JsonArray([.. blocks.Select(b => b.Complete())]),
            ["stop_reason"] = StopReason(answer.Finish),
            ["stop_sequence"] = null,
            ["usage"] = usage,
        });
    }

    public static async Task CountTokensAsync(HttpContext context)
    {
        if (!await AnthropicErrors.AuthorisedAsync(context)) return;
        if (await ReadAsync(context) is not { } request) return;
        var (body, model) = request;
        var prompt = MessagesRequest.Summarise(body, model);
        await context.Response.WriteJsonAsync(new JsonObject { ["input_tokens"] = Math.Max(1, TokenCounter.Count(prompt.Summary.InputText)) });
    }

    private static async Task<(JsonObject Body, string Model)?> ReadAsync(HttpContext context)
    {
        if (await context.ReadJsonBodyAsync() is not JsonObject body || body.Prop("model").Str() is not { Length: > 0 } model)
        {
            await AnthropicErrors.BadRequestAsync(context, "model: Field required");
            return null;
        }
        if (body.Prop("messages") is not JsonArray)
        {
            await AnthropicErrors.BadRequestAsync(context, "messages: Field required");
            return null;
        }
        return (body, model);
    }

    private static string StopReason(FinishKind finish) => finish switch
    {
        FinishKind.ToolCall => "tool_use",
        FinishKind.Length => "max_tokens",
        _ => "end_turn",
    };

    private static JsonObject Usage(PlannedAnswer answer, MessagesPrompt prompt, PromptCacheTracker cache, string model)
    {
        var prefixTokens = TokenCounter.Count(prompt.CacheablePrefix);
        int creation = 0, read = 0;
        if (answer.CachedTokensOverride is { } cached) read = cached;
        else if (prefixTokens > 0 && cache.SeenBefore(model, prompt.CacheablePrefix)) read = prefixTokens;
        else creation = prefixTokens;
        // Anthropic's input_tokens excludes what was read from or written to the cache.
        var input = answer.InputTokens - (answer.CachedTokensOverride is null ? prefixTokens : 0);
        return new JsonObject
        {
            ["input_tokens"] = Math.Max(0, input),
            ["cache_creation_input_tokens"] = creation,
            ["cache_read_input_tokens"] = read,
            ["cache_creation"] = new JsonObject { ["ephemeral_5m_input_tokens"] = creation, ["ephemeral_1h_input_tokens"] = 0 },
            ["output_tokens"] = answer.OutputTokens,
            ["service_tier"] = "standard",
        };
    }

    /// <summary>One content block: its complete form, its empty start form and its stream deltas.</summary>
    private sealed record Block(Func<JsonObject> Complete, Func<JsonObject> Start, IReadOnlyList<JsonObject> Deltas);

    private static List<Block> Blocks(PlannedAnswer answer)
    {
        var blocks = new List<Block>();
        if (answer.ThinkingText is { } thinking)
        {
            var signature = Signature(thinking);
            blocks.Add(new Block(
                () => new JsonObject { ["type"] = "thinking", ["thinking"] = thinking, ["signature"] = signature },
                () => new JsonObject { ["type"] = "thinking", ["thinking"] = "", ["signature"] = "" },
                [
                    .. AnswerText.Chunks(thinking).Select(p => new JsonObject { ["type"] = "thinking_delta", ["thinking"] = p }),
                    new JsonObject { ["type"] = "signature_delta", ["signature"] = signature },
                ]));
        }
        if (answer.Text is { } text)
            blocks.Add(new Block(
                () => new JsonObject { ["type"] = "text", ["text"] = text },
                () => new JsonObject { ["type"] = "text", ["text"] = "" },
                [.. AnswerText.Chunks(text).Select(p => new JsonObject { ["type"] = "text_delta", ["text"] = p })]));
        if (answer.ToolCall is { } call)
        {
            var id = "toolu_" + call.Id;
            blocks.Add(new Block(
                () => new JsonObject { ["type"] = "tool_use", ["id"] = id, ["name"] = call.Name, ["input"] = call.Arguments.DeepClone() },
                () => new JsonObject { ["type"] = "tool_use", ["id"] = id, ["name"] = call.Name, ["input"] = new JsonObject() },
                [.. AnswerText.Slices(call.ArgumentsJson).Select(p => new JsonObject { ["type"] = "input_json_delta", ["partial_json"] = p })]));
        }
        return blocks;
    }

    /// <summary>An opaque, deterministic stand-in for Anthropic's encrypted thinking signature.</summary>
    private static string Signature(string thinking) =>
        Convert.ToBase64String([.. "sim-signature:"u8, .. SHA256.HashData(Encoding.UTF8.GetBytes(thinking))]);

    private static async Task StreamAsync(HttpContext context, BehaviourGate gate, SimBehaviour? behaviour, string id, string model,
        PlannedAnswer answer, List<Block> blocks, JsonObject usage)
    {
        var sse = new SseWriter(context.Response, behaviour, gate.Token(context));
        await sse.StartAsync();
        var startUsage = (JsonObject)usage.DeepClone();
        startUsage["output_tokens"] = 1;
        await sse.EventAsync("message_start", new JsonObject
        {
            ["type"] = "message_start",
            ["message"] = new JsonObject
            {
                ["id"] = id,
                ["type"] = "message",
                ["role"] = "assistant",
                ["model"] = model,
                ["content"] = new JsonArray(),
                ["stop_reason"] = null,
                ["stop_sequence"] = null,
                ["usage"] = startUsage,
            },
        });

        for (var index = 0; index < blocks.Count && sse.Alive; index++)
        {
            await sse.EventAsync("content_block_start", new JsonObject
            {
                ["type"] = "content_block_start", ["index"] = index, ["content_block"] = blocks[index].Start(),
            });
            if (index == 0) await sse.EventAsync("ping", new JsonObject { ["type"] = "ping" });
            foreach (var delta in blocks[index].Deltas)
                await sse.EventAsync("content_block_delta", new JsonObject
                {
                    ["type"] = "content_block_delta", ["index"] = index, ["delta"] = delta,
                }, content: true);
            await sse.EventAsync("content_block_stop", new JsonObject { ["type"] = "content_block_stop", ["index"] = index });
        }

        await sse.EventAsync("message_delta", new JsonObject
        {
            ["type"] = "message_delta",
            ["delta"] = new JsonObject { ["stop_reason"] = StopReason(answer.Finish), ["stop_sequence"] = null },
            ["usage"] = new JsonObject
            {
                ["input_tokens"] = usage["input_tokens"]!.DeepClone(),
                ["cache_creation_input_tokens"] = usage["cache_creation_input_tokens"]!.DeepClone(),
                ["cache_read_input_tokens"] = usage["cache_read_input_tokens"]!.DeepClone(),
                ["output_tokens"] = answer.OutputTokens,
            },
        });
        await sse.EventAsync("message_stop", new JsonObject { ["type"] = "message_stop" });
    }
}
