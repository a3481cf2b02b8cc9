using System.Text.Json.Nodes;
using Requesty.ProviderSimulator.Behaviour;
using Requesty.ProviderSimulator.Generation;
using Requesty.ProviderSimulator.Infrastructure;
using Requesty.ProviderSimulator.Streaming;

namespace Requesty.ProviderSimulator.OpenAI;

/// <summary>POST /v1/chat/completions, plain JSON or an SSE stream of chat.completion.chunk objects.</summary>
public static class ChatCompletionsEndpoint
{
    private const string Fingerprint = "fp_simulator";

    public static async Task HandleAsync(HttpContext context, BehaviourGate gate)
    {
        if (!await OpenAIErrors.AuthorisedAsync(context)) return;
        if (await context.ReadJsonBodyAsync() is not JsonObject body || body.Prop("model").Str() is not { Length: > 0 } model)
        {
            await OpenAIErrors.BadRequestAsync(context, "The request body must be a JSON object with a 'model'.");
            return;
        }
        if (body.Prop("messages") is not JsonArray { Count: > 0 })
        {
            await OpenAIErrors.BadRequestAsync(context, "'messages' must be a non-empty array.");
            return;
        }

        var (behaviour, problem) = gate.Resolve(context, ProviderNames.OpenAI, model);
        if (problem is not null)
        {
            await OpenAIErrors.BadRequestAsync(context, problem);
            return;
        }
        if (await gate.InterceptAsync(context, behaviour, OpenAIErrors.Body)) return;

        var prompt = ChatCompletionsRequest.Summarise(body, model);
        var n = Math.Clamp(body.Prop("n").Int() ?? 1, 1, 8);
        var answers = Enumerable.Range(0, n).Select(i => AnswerPlanner.Plan(prompt, behaviour, i)).ToList();
        var usage = Usage(answers, behaviour);
        var id = Ids.New("chatcmpl-");

        if (body.Prop("stream").Bool() == true)
        {
            var includeUsage = body.Prop("stream_options").Prop("include_usage").Bool() == true;
            await StreamAsync(context, gate, behaviour, id, model, answers, includeUsage ? usage : null);
            return;
        }

        await context.Response.WriteJsonAsync(new JsonObject
        {
            ["id"] = id,
            ["object"] = "chat.completion",
            ["created"] = Ids.UnixNow(),
            ["model"] = model,
            ["choices"] = new JsonArray([.. answers.Select((a, i) => (JsonNode)Choice(a, i, Images(model, id, i)))]),
            ["usage"] = usage,
            ["service_tier"] = "default",
            ["system_fingerprint"] = Fingerprint,
        });
    }

    /// <summary>
    /// Image-output models ("...-image...") also draw a small PNG, answered OpenRouter-style as
    /// message.images / delta.images: [{"type":"image_url","image_url":{"url":"data:image/png;base64,..."},"index":0}].
    /// </summary>
    private static JsonArray? Images(string model, string id, int choice) =>
        Gemini.GenerateContentEndpoint.DrawsImages(model)
            ? new JsonArray(new JsonObject
            {
                ["type"] = "image_url",
                ["image_url"] = new JsonObject { ["url"] = "data:image/png;base64," + Convert.ToBase64String(PngImage.Create($"{id}-{choice}")) },
                ["index"] = 0,
            })
            : null;

    private static JsonObject Choice(PlannedAnswer answer, int index, JsonArray? images)
    {
        var message = new JsonObject
        {
            ["role"] = "assistant",
            ["content"] = answer.Text,
            ["refusal"] = null,
            ["annotations"] = new JsonArray(),
        };
        if (images is not null) message["images"] = images;
        if (answer.ToolCall is { } call)
            message["tool_calls"] = new JsonArray(new JsonObject
            {
                ["id"] = "call_" + call.Id,
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = call.Name, ["arguments"] = call.ArgumentsJson },
            });
        return new JsonObject
        {
            ["index"] = index,
            ["message"] = message,
            ["logprobs"] = null,
            ["finish_reason"] = FinishReason(answer.Finish),
        };
    }

    public static string FinishReason(FinishKind finish) => finish switch
    {
        FinishKind.ToolCall => "tool_calls",
        FinishKind.Length => "length",
        _ => "stop",
    };

    private static JsonObject Usage(IReadOnlyList<PlannedAnswer> answers, SimBehaviour? behaviour)
    {
        var prompt = answers[0].InputTokens;
        var completion = behaviour?.OutputTokens ?? answers.Sum(a => a.OutputTokens);
        return new JsonObject
        {
            ["prompt_tokens"] = prompt,
            ["completion_tokens"] = completion,
            ["total_tokens"] = prompt + completion,
            ["prompt_tokens_details"] = new JsonObject
            {
                ["cached_tokens"] = Math.Min(answers[0].CachedTokensOverride ?? 0, prompt),
                ["audio_tokens"] = 0,
            },
            ["completion_tokens_details"] = new JsonObject
            {
                ["reasoning_tokens"] = answers.Sum(a => a.ReasoningTokens),
                ["audio_tokens"] = 0,
                ["accepted_prediction_tokens"] = 0,
                ["rejected_prediction_tokens"] = 0,
            },
        };
    }

    private static async Task StreamAsync(HttpContext context, BehaviourGate gate, SimBehaviour? behaviour, string id, string model,
        IReadOnlyList<PlannedAnswer> answers, JsonObject? usage)
    {
        var created = Ids.UnixNow();
        var includeUsage = usage is not null;
        var sse = new SseWriter(context.Response, behaviour, gate.Token(context));
        await sse.StartAsync();

        JsonObject Chunk(int index, JsonObject delta, string? finish)
        {
            var chunk = new JsonObject
            {
                ["id"] = id,
                ["object"] = "chat.completion.chunk",
                ["created"] = created,
                ["model"] = model,
                ["service_tier"] = "default",
                ["system_fingerprint"] = Fingerprint,
                ["choices"] = new JsonArray(new JsonObject
                {
                    ["index"] = index,
                    ["delta"] = delta,
                    ["logprobs"] = null,
                    ["finish_reason"] = finish,
                }),
            };
            // OpenAI sends "usage": null on every chunk but the last when usage was asked for.
            if (includeUsage) chunk["usage"] = null;
            return chunk;
        }

        for (var index = 0; index < answers.Count && sse.Alive; index++)
        {
            var answer = answers[index];
            await sse.EventAsync(null, Chunk(index, new JsonObject { ["role"] = "assistant", ["content"] = "", ["refusal"] = null }, null));
            if (Images(model, id, index) is { } images)
                await sse.EventAsync(null, Chunk(index, new JsonObject { ["images"] = images }, null), content: true);
            if (answer.Text is { } text)
                foreach (var piece in AnswerText.Chunks(text))
                    await sse.EventAsync(null, Chunk(index, new JsonObject { ["content"] = piece }, null), content: true);
            if (answer.ToolCall is { } call)
            {
                await sse.EventAsync(null, Chunk(index, new JsonObject
                {
                    ["tool_calls"] = new JsonArray(new JsonObject
                    {
                        ["index"] = 0,
                        ["id"] = "call_" + call.Id,
                        ["type"] = "function",
                        ["function"] = new JsonObject { ["name"] = call.Name, ["arguments"] = "" },
                    }),
                }, null), content: true);
                foreach (var slice in AnswerText.Slices(call.ArgumentsJson))
                    await sse.EventAsync(null, Chunk(index, new JsonObject
                    {
                        ["tool_calls"] = new JsonArray(new JsonObject
                        {
                            ["index"] = 0,
                            ["function"] = new JsonObject { ["arguments"] = slice },
                        }),
                    }, null), content: true);
            }
            await sse.EventAsync(null, Chunk(index, new JsonObject(), FinishReason(answer.Finish)));
        }

        if (usage is not null)
            await sse.EventAsync(null, new JsonObject
            {
                ["id"] = id,
                ["object"] = "chat.completion.chunk",
                ["created"] = created,
                ["model"] = model,
                ["service_tier"] = "default",
                ["system_fingerprint"] = Fingerprint,
                ["choices"] = new JsonArray(),
                ["usage"] = usage,
            });
        await sse.RawAsync("data: [DONE]\n\n");
    }
}
