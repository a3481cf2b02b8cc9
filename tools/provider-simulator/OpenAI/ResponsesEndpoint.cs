using System.Text.Json.Nodes;
using Requesty.ProviderSimulator.Behaviour;
using Requesty.ProviderSimulator.Generation;
using Requesty.ProviderSimulator.Infrastructure;
using Requesty.ProviderSimulator.Streaming;

namespace Requesty.ProviderSimulator.OpenAI;

/// <summary>POST /v1/responses (OpenAI Responses API), plain JSON or named SSE events.</summary>
public static class ResponsesEndpoint
{
    public static async Task HandleAsync(HttpContext context, BehaviourGate gate)
    {
        if (!await OpenAIErrors.AuthorisedAsync(context)) return;
        if (await context.ReadJsonBodyAsync() is not JsonObject body || body.Prop("model").Str() is not { Length: > 0 } model)
        {
            await OpenAIErrors.BadRequestAsync(context, "The request body must be a JSON object with a 'model'.");
            return;
        }
        var (behaviour, problem) = gate.Resolve(context, ProviderNames.OpenAI, model);
        if (problem is not null)
        {
            await OpenAIErrors.BadRequestAsync(context, problem);
            return;
        }
        if (await gate.InterceptAsync(context, behaviour, OpenAIErrors.Body)) return;

        var answer = AnswerPlanner.Plan(ResponsesRequest.Summarise(body, model), behaviour);
        var ids = new OutputIds(Ids.New("resp_"), Ids.New("rs_"), Ids.New("msg_"), Ids.New("fc_"));
        if (body.Prop("stream").Bool() == true)
        {
            await StreamAsync(context, gate, behaviour, body, model, answer, ids);
            return;
        }
        await context.Response.WriteJsonAsync(Response(body, model, answer, ids, completed: true));
    }

    private sealed record OutputIds(string Response, string Reasoning, string Message, string FunctionCall);

    private static JsonObject Response(JsonObject request, string model, PlannedAnswer answer, OutputIds ids, bool completed)
    {
        var truncated = answer.Finish == FinishKind.Length;
        return new JsonObject
        {
            ["id"] = ids.Response,
            ["object"] = "response",
            ["created_at"] = Ids.UnixNow(),
            ["status"] = !completed ? "in_progress" : truncated ? "incomplete" : "completed",
            ["error"] = null,
            ["incomplete_details"] = completed && truncated ? new JsonObject { ["reason"] = "max_output_tokens" } : null,
            ["instructions"] = request.Prop("instructions").CloneNode(),
            ["max_output_tokens"] = request.Prop("max_output_tokens").CloneNode(),
            ["model"] = model,
            ["output"] = completed ? new JsonArray([.. OutputItems(answer, ids, done: true)]) : new JsonArray(),
            ["parallel_tool_calls"] = true,
            ["previous_response_id"] = request.Prop("previous_response_id").CloneNode(),
            ["reasoning"] = new JsonObject { ["effort"] = request.Prop("reasoning").Prop("effort").CloneNode(), ["summary"] = null },
            ["store"] = request.Prop("store").CloneNode() ?? true,
            ["temperature"] = request.Prop("temperature").CloneNode() ?? 1.0,
            ["text"] = request.Prop("text").CloneNode() ?? new JsonObject { ["format"] = new JsonObject { ["type"] = "text" } },
            ["tool_choice"] = request.Prop("tool_choice").CloneNode() ?? "auto",
            ["tools"] = request.Prop("tools").CloneNode() ?? new JsonArray(),
            ["top_p"] = request.Prop("top_p").CloneNode() ?? 1.0,
            ["truncation"] = "disabled",
            ["usage"] = completed ? Usage(answer) : null,
            ["user"] = null,
            ["metadata"] = request.Prop("metadata").CloneNode() ?? new JsonObject(),
        };
    }

    private static JsonObject Usage(PlannedAnswer answer) => new()
    {
        ["input_tokens"] = answer.InputTokens,
        ["input_tokens_details"] = new JsonObject { ["cached_tokens"] = Math.Min(answer.CachedTokensOverride ?? 0, answer.InputTokens) },
        ["output_tokens"] = answer.OutputTokens,
        ["output_tokens_details"] = new JsonObject { ["reasoning_tokens"] = answer.ReasoningTokens },
        ["total_tokens"] = answer.InputTokens + answer.OutputTokens,
    };

    private static IEnumerable<JsonNode> OutputItems(PlannedAnswer answer, OutputIds ids, bool done)
    {
        if (answer.ReasoningTokens > 0) yield return ReasoningItem(ids);
        if (answer.Text is { } text) yield return MessageItem(ids, done ? text : null);
        if (answer.ToolCall is { } call) yield return FunctionCallItem(ids, call, done);
    }

    private static JsonObject ReasoningItem(OutputIds ids) => new() { ["type"] = "reasoning", ["id"] = ids.Reasoning, ["summary"] = new JsonArray() };

    private static JsonObject MessageItem(OutputIds ids, string? text) => new()
    {
        ["type"] = "message",
        ["id"] = ids.Message,
        ["status"] = text is null ? "in_progress" : "completed",
        ["role"] = "assistant",
        ["content"] = text is null ? new JsonArray() : new JsonArray(TextPart(text)),
    };

    private static JsonObject TextPart(string text) => new() { ["type"] = "output_text", ["text"] = text, ["annotations"] = new JsonArray() };

    private static JsonObject FunctionCallItem(OutputIds ids, PlannedToolCall call, bool done) => new()
    {
        ["type"] = "function_call",
        ["id"] = ids.FunctionCall,
        ["call_id"] = "call_" + call.Id,
        ["name"] = call.Name,
        ["arguments"] = done ? call.ArgumentsJson : "",
        ["status"] = done ? "completed" : "in_progress",
    };

    private static async Task StreamAsync(HttpContext context, BehaviourGate gate, SimBehaviour? behaviour, JsonObject request,
        string model, PlannedAnswer answer, OutputIds ids)
    {
        var sse = new SseWriter(context.Response, behaviour, gate.Token(context));
        await sse.StartAsync();
        var sequence = 0;
        Task Send(string type, JsonObject data, bool content = false)
        {
            data["type"] = type;
            data["sequence_number"] = sequence++;
            return sse.EventAsync(type, data, content);
        }

        await Send("response.created", new JsonObject { ["response"] = Response(request, model, answer, ids, completed: false) });
        await Send("response.in_progress", new JsonObject { ["response"] = Response(request, model, answer, ids, completed: false) });

        var outputIndex = 0;
        if (answer.ReasoningTokens > 0)
        {
            await Send("response.output_item.added", new JsonObject { ["output_index"] = outputIndex, ["item"] = ReasoningItem(ids) });
            await Send("response.output_item.done", new JsonObject { ["output_index"] = outputIndex++, ["item"] = ReasoningItem(ids) });
        }
        if (answer.Text is { } text)
        {
            await Send("response.output_item.added", new JsonObject { ["output_index"] = outputIndex, ["item"] = MessageItem(ids, null) });
            await Send("response.content_part.added", Part(ids.Message, outputIndex, TextPart("")));
            foreach (var piece in AnswerText.Chunks(text))
                await Send("response.output_text.delta", new JsonObject
                {
                    ["item_id"] = ids.Message, ["output_index"] = outputIndex, ["content_index"] = 0, ["delta"] = piece, ["logprobs"] = new JsonArray(),
                }, content: true);
            await Send("response.output_text.done", new JsonObject
            {
                ["item_id"] = ids.Message, ["output_index"] = outputIndex, ["content_index"] = 0, ["text"] = text, ["logprobs"] = new JsonArray(),
            });
            await Send("response.content_part.done", Part(ids.Message, outputIndex, TextPart(text)));
            await Send("response.output_item.done", new JsonObject { ["output_index"] = outputIndex++, ["item"] = MessageItem(ids, text) });
        }
        if (answer.ToolCall is { } call)
        {
            await Send("response.output_item.added", new JsonObject { ["output_index"] = outputIndex, ["item"] = FunctionCallItem(ids, call, done: false) });
            foreach (var slice in AnswerText.Slices(call.ArgumentsJson))
                await Send("response.function_call_arguments.delta", new JsonObject
                {
                    ["item_id"] = ids.FunctionCall, ["output_index"] = outputIndex, ["delta"] = slice,
                }, content: true);
            await Send("response.function_call_arguments.done", new JsonObject
            {
                ["item_id"] = ids.FunctionCall, ["output_index"] = outputIndex, ["name"] = call.Name, ["arguments"] = call.ArgumentsJson,
            });
            await Send("response.output_item.done", new JsonObject { ["output_index"] = outputIndex++, ["item"] = FunctionCallItem(ids, call, done: true) });
        }
        var finalType = answer.Finish == FinishKind.Length ? "response.incomplete" : "response.completed";
        await Send(finalType, new JsonObject { ["response"] = Response(request, model, answer, ids, completed: true) });
    }

    private static JsonObject Part(string itemId, int outputIndex, JsonObject part) => new()
    {
        ["item_id"] = itemId, ["output_index"] = outputIndex, ["content_index"] = 0, ["part"] = part,
    };
}
