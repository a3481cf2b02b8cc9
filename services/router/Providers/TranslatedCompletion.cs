using System.Text.Json.Nodes;
using Requesty.Contracts.Events;
using Requesty.Router.Pipeline;
using Requesty.Router.Providers.OpenAI;

namespace Requesty.Router.Providers;

/// <summary>A whole answer in a provider's own format, translated into an OpenAI chat completion and written through the client's output.</summary>
public static class TranslatedCompletion
{
    /// <summary>A provider's response mapper: its answer as an OpenAI chat completion, with the usage it reported.</summary>
    public delegate JsonObject Translator(JsonNode answer, string model, DateTimeOffset now, out TokenUsage usage);

    /// <summary>Fills the record's usage and tool calls and returns the answer text.</summary>
    public static async Task<string?> RelayAsync(HttpResponseMessage upstream, IChatOutput output, RequestRecord record, ChatCompletionRequest request,
        Translator toOpenAIChat, TimeProvider time, CancellationToken cancellationToken)
    {
        var answer = JsonNode.Parse(await upstream.Content.ReadAsByteArrayAsync(cancellationToken)) ?? new JsonObject();
        record.FirstTokenAt = time.GetUtcNow().UtcDateTime;
        var completion = toOpenAIChat(answer, request.Model.Id, time.GetUtcNow(), out var usage);
        record.Usage = usage;
        record.ToolCalls.AddRange(OpenAIToolCalls.Made(completion));
        await output.WriteCompletionAsync(completion, ReadOnlyMemory<byte>.Empty, cancellationToken);
        return JsonBody.String(JsonBody.First(completion["choices"])?["message"]?["content"]);
    }
}
