using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Requesty.Contracts.Events;
using Requesty.Router.Accounting;
using Requesty.Router.Catalog;
using Requesty.Router.Pipeline;

namespace Requesty.Router.Providers.OpenAIResponses;

/// <summary>
/// /v1/responses for an "openai-responses/..." model: the body goes to OpenAI's own Responses API
/// with the provider's model name, and the answer comes back as it is, except that the usage
/// (non-streamed body, or the final response.completed event) gets our <c>usage.cost</c>.
/// </summary>
public sealed class OpenAIResponsesPassthrough(HttpClient http, JsonObject body, CatalogModel model, HttpResponse response, TimeProvider time) : IUpstreamExchange
{
    public const string ProviderName = "openai-responses";
    public const string HttpClientName = "provider-openai-responses";

    public Task<HttpResponseMessage> SendAsync(ProviderEndpoint endpoint, CancellationToken cancellationToken)
    {
        body["model"] = model.UpstreamModel;
        var message = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint.BaseAddress, "responses"))
        {
            Content = JsonPayload.Content(body),
        };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", endpoint.ApiKey);
        return http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    public async Task<string?> RelayAsync(HttpResponseMessage upstream, RequestRecord record, CancellationToken cancellationToken) =>
        JsonBody.Bool(body["stream"])
            ? await RelayStreamAsync(upstream, record, cancellationToken)
            : await RelayResponseAsync(upstream, record, cancellationToken);

    private async Task<string?> RelayResponseAsync(HttpResponseMessage upstream, RequestRecord record, CancellationToken cancellationToken)
    {
        var bytes = await upstream.Content.ReadAsByteArrayAsync(cancellationToken);
        record.FirstTokenAt = time.GetUtcNow().UtcDateTime;
        if (JsonNode.Parse(bytes) is not JsonObject answer)
        {
            response.StatusCode = 200;
            response.ContentType = "application/json";
            await response.Body.WriteAsync(bytes, cancellationToken);
            return null;
        }
        Account(answer, record);
        record.ToolCalls.AddRange(ToolCalls(answer["output"]));
        var payload = Encoding.UTF8.GetBytes(answer.ToJsonString());
        response.StatusCode = 200;
        response.ContentType = "application/json";
        response.ContentLength = payload.Length;
        await response.Body.WriteAsync(payload, cancellationToken);
        return OutputText(answer["output"]);
    }

    private async Task<string> RelayStreamAsync(HttpResponseMessage upstream, RequestRecord record, CancellationToken cancellationToken)
    {
        await SseWriter.StartAsync(response, cancellationToken);
        var answer = new StringBuilder();
        await SseLines.RelayAsync(await upstream.Content.ReadAsStreamAsync(cancellationToken), response,
            line => RelayLine(line, record, answer), cancellationToken);
        return answer.ToString();
    }

    /// <summary>
    /// Passes one upstream line on as it came (the final usage with our cost added) and reads accounting off it. Deltas,
    /// nearly all of a stream, are read without a JSON tree; the few other events are parsed.
    /// </summary>
    private void RelayLine(ReadOnlySpan<byte> line, RequestRecord record, StringBuilder answer)
    {
        if (line.StartsWith("data:"u8))
        {
            var payload = line[5..];
            var delta = ResponsesDeltaEvent.Read(payload);
            if (delta.IsDelta)
            {
                record.FirstTokenAt ??= time.GetUtcNow().UtcDateTime;
                answer.Append(delta.Text);
            }
            else if (JsonBody.ParseObject(payload) is { } data && Observe(data, record))
            {
                SseLines.Write(response, "data: " + data.ToJsonString());
                return;
            }
        }
        SseLines.Write(response, line);
    }

    /// <summary>Reads what accounting needs off one (non-delta) stream event; true when the event was changed (cost added).</summary>
    private bool Observe(JsonObject data, RequestRecord record)
    {
        switch (JsonBody.String(data["type"]))
        {
            case "response.output_item.done":
                record.ToolCalls.AddRange(ToolCalls(new JsonArray(data["item"]?.DeepClone())));
                return false;
            case "response.completed" or "response.incomplete" when data["response"] is JsonObject final:
                return Account(final, record);
            case "response.failed" when data["response"] is JsonObject failed:
                record.Fail(502, "upstream_error", "openai-responses: " + (JsonBody.String(failed["error"]?["message"]) ?? "the response failed."));
                return Account(failed, record);
            case "error":
                record.Fail(502, "upstream_error", "openai-responses: " + (JsonBody.String(data["message"]) ?? "stream error"));
                return false;
            default:
                return false;
        }
    }

    /// <summary>Takes the usage into the record and adds its cost to the answer's usage object.</summary>
    private bool Account(JsonObject answer, RequestRecord record)
    {
        if (OpenAIResponsesUsage.Read(answer["usage"]) is not { } usage) return false;
        record.Usage = usage;
        answer["usage"]!["cost"] = CostCalculator.Cost(usage, model.Price);
        return true;
    }

    private static IEnumerable<ToolCallMade> ToolCalls(JsonNode? output)
    {
        foreach (var item in (output as JsonArray ?? []).OfType<JsonObject>())
        {
            if (JsonBody.String(item["type"]) != "function_call") continue;
            yield return new ToolCallMade
            {
                Id = JsonBody.String(item["call_id"]),
                Name = JsonBody.String(item["name"]) ?? "",
                ArgumentsBytes = Encoding.UTF8.GetByteCount(JsonBody.String(item["arguments"]) ?? ""),
            };
        }
    }

    private static string OutputText(JsonNode? output) => string.Concat(
        (output as JsonArray ?? []).OfType<JsonObject>()
            .Where(item => JsonBody.String(item["type"]) == "message")
            .SelectMany(item => (item["content"] as JsonArray ?? []).OfType<JsonObject>())
            .Where(part => JsonBody.String(part["type"]) == "output_text")
            .Select(part => JsonBody.String(part["text"])));
}
