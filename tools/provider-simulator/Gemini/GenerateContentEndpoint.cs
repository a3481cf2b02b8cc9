using System.Text.Json.Nodes;
using Requesty.ProviderSimulator.Behaviour;
using Requesty.ProviderSimulator.Generation;
using Requesty.ProviderSimulator.Infrastructure;
using Requesty.ProviderSimulator.Streaming;

namespace Requesty.ProviderSimulator.Gemini;

/// <summary>
/// POST /v1beta/models/{model}:generateContent and :streamGenerateContent (SSE with ?alt=sse, otherwise a
/// streamed JSON array, as Google does).
/// </summary>
public static class GenerateContentEndpoint
{
    public static async Task HandleAsync(HttpContext context, string modelAndAction, BehaviourGate gate)
    {
        var separator = modelAndAction.LastIndexOf(':');
        var model = separator > 0 ? modelAndAction[..separator] : modelAndAction;
        var action = separator > 0 ? modelAndAction[(separator + 1)..] : "";
        if (action is not ("generateContent" or "streamGenerateContent") && !EmbedContentEndpoint.Handles(action))
        {
            await context.Response.WriteProviderErrorAsync(GeminiErrors.Body, StatusCodes.Status404NotFound, $"Unknown method '{action}'.");
            return;
        }
        if (!await GeminiErrors.AuthorisedAsync(context)) return;
        if (EmbedContentEndpoint.Handles(action)) await EmbedContentEndpoint.ServeAsync(context, model, action, gate);
        else await ServeAsync(context, model, action, gate);
    }

    /// <summary>An authorised generateContent / streamGenerateContent call (the Gemini API and Vertex AI share it).</summary>
    public static async Task ServeAsync(HttpContext context, string model, string action, BehaviourGate gate)
    {
        if (await context.ReadJsonBodyAsync() is not JsonObject body || body.Prop("contents") is not JsonArray { Count: > 0 })
        {
            await GeminiErrors.BadRequestAsync(context, "* GenerateContentRequest.contents: contents is not specified");
            return;
        }
        var (behaviour, problem) = gate.Resolve(context, ProviderNames.Gemini, model);
        if (problem is not null)
        {
            await GeminiErrors.BadRequestAsync(context, problem);
            return;
        }
        if (await gate.InterceptAsync(context, behaviour, GeminiErrors.Body)) return;

        var options = GenerateContentRequest.Summarise(body, model);
        var answers = Enumerable.Range(0, options.CandidateCount).Select(i => AnswerPlanner.Plan(options.Summary, behaviour, i)).ToList();
        var responseId = Ids.New("", 22);

        if (action == "streamGenerateContent")
        {
            await StreamAsync(context, gate, behaviour, model, responseId, answers, options.IncludeThoughts);
            return;
        }
        await context.Response.WriteJsonAsync(Response(model, responseId,
            answers.Select((a, i) => Candidate(i, [.. Parts(a, options.IncludeThoughts, a.Text), .. ImageParts(model, responseId, i)], FinishReason(a))),
            Usage(answers, behaviour)));
    }

    private static JsonObject Response(string model, string responseId, IEnumerable<JsonObject> candidates, JsonObject? usage)
    {
        var response = new JsonObject { ["candidates"] = new JsonArray([.. candidates]) };
        if (usage is not null) response["usageMetadata"] = usage;
        response["modelVersion"] = model;
        response["responseId"] = responseId;
        return response;
    }

    private static JsonObject Candidate(int index, IEnumerable<JsonObject> parts, string? finishReason)
    {
        var candidate = new JsonObject { ["content"] = new JsonObject { ["parts"] = new JsonArray([.. parts]), ["role"] = "model" } };
        if (finishReason is not null) candidate["finishReason"] = finishReason;
        candidate["index"] = index;
        return candidate;
    }

    private static IEnumerable<JsonObject> Parts(PlannedAnswer answer, bool includeThoughts, string? text)
    {
        if (includeThoughts && answer.ThinkingText is { } thought) yield return new JsonObject { ["text"] = thought, ["thought"] = true };
        if (text is not null) yield return new JsonObject { ["text"] = text };
        if (answer.ToolCall is { } call)
            yield return new JsonObject { ["functionCall"] = new JsonObject { ["name"] = call.Name, ["args"] = call.Arguments.DeepClone() } };
    }

    /// <summary>Image-output models ("...-image", "...-image-preview") draw a small PNG next to their text, as inlineData.</summary>
    public static bool DrawsImages(string model) => model.Contains("-image", StringComparison.OrdinalIgnoreCase);

    private static IEnumerable<JsonObject> ImageParts(string model, string responseId, int candidate)
    {
        if (!DrawsImages(model)) yield break;
        yield return new JsonObject
        {
            ["inlineData"] = new JsonObject { ["mimeType"] = "image/png", ["data"] = Convert.ToBase64String(PngImage.Create($"{responseId}-{candidate}")) },
        };
    }

    private static string FinishReason(PlannedAnswer answer) => answer.Finish == FinishKind.Length ? "MAX_TOKENS" : "STOP";

    private static JsonObject Usage(IReadOnlyList<PlannedAnswer> answers, SimBehaviour? behaviour)
    {
        var prompt = answers[0].InputTokens;
        var thoughts = answers.Sum(a => a.ReasoningTokens);
        var candidates = behaviour?.OutputTokens ?? answers.Sum(a => a.OutputTokens - a.ReasoningTokens);
        return new JsonObject
        {
            ["promptTokenCount"] = prompt,
            ["candidatesTokenCount"] = candidates,
            ["totalTokenCount"] = prompt + candidates + thoughts,
            ["cachedContentTokenCount"] = Math.Min(answers[0].CachedTokensOverride ?? 0, prompt),
            ["thoughtsTokenCount"] = thoughts,
            ["promptTokensDetails"] = new JsonArray(new JsonObject { ["modality"] = "TEXT", ["tokenCount"] = prompt }),
        };
    }

    private static async Task StreamAsync(HttpContext context, BehaviourGate gate, SimBehaviour? behaviour, string model, string responseId,
        IReadOnlyList<PlannedAnswer> answers, bool includeThoughts)
    {
        var sseFormat = context.Request.Query["alt"].ToString() == "sse";
        var writer = new SseWriter(context.Response, behaviour, gate.Token(context));
        await writer.StartAsync(sseFormat ? "text/event-stream" : "application/json");
        var first = true;
        var usageSent = false;
        Task Send(JsonObject chunk, bool content)
        {
            usageSent |= chunk.ContainsKey("usageMetadata");
            string text;
            if (sseFormat) text = SseWriter.Format(null, chunk.ToJsonString(WireJson.Options));
            else
            {
                text = (first ? "[" : ",\r\n") + chunk.ToJsonString(WireJson.Options);
                first = false;
            }
            return writer.RawAsync(text, content);
        }

        for (var index = 0; index < answers.Count && writer.Alive; index++)
        {
            var answer = answers[index];
            if (includeThoughts && answer.ThinkingText is { } thought)
                await Send(Response(model, responseId, [Candidate(index, [new JsonObject { ["text"] = thought, ["thought"] = true }], null)], null), content: true);
            if (ImageParts(model, responseId, index).ToList() is { Count: > 0 } images)
                await Send(Response(model, responseId, [Candidate(index, images, null)], null), content: true);
            var pieces = answer.Text is { } text ? AnswerText.Chunks(text) : [];
            for (var i = 0; i < pieces.Count; i++)
            {
                var last = i == pieces.Count - 1 && answer.ToolCall is null && index == answers.Count - 1;
                await Send(Response(model, responseId, [Candidate(index, [new JsonObject { ["text"] = pieces[i] }], last ? FinishReason(answer) : null)],
                    last ? Usage(answers, behaviour) : null), content: true);
            }
            if (answer.ToolCall is { } call)
                await Send(Response(model, responseId,
                    [Candidate(index, [new JsonObject { ["functionCall"] = new JsonObject { ["name"] = call.Name, ["args"] = call.Arguments.DeepClone() } }],
                        FinishReason(answer))],
                    index == answers.Count - 1 ? Usage(answers, behaviour) : null), content: true);
            else if (index < answers.Count - 1 && pieces.Count > 0)
                await Send(Response(model, responseId, [Candidate(index, [], FinishReason(answer))], null), content: false);
        }
        if (!usageSent)
        {
            var last = answers[^1];
            await Send(Response(model, responseId, [Candidate(answers.Count - 1, [], FinishReason(last))], Usage(answers, behaviour)), content: false);
        }
        if (!sseFormat) await writer.RawAsync("]");
    }
}
