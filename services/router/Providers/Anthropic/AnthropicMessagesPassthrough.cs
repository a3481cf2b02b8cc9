using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Requesty.Contracts.Events;
using Requesty.Router.Pipeline;

namespace Requesty.Router.Providers.Anthropic;

/// <summary>
/// /v1/messages for an Anthropic model: the client already speaks Anthropic, so the body goes up
/// unchanged but for the model name, and the answer comes back byte for byte (thinking
/// signatures, cache_control and server tools intact) while usage and tool calls are read off it.
/// Only the message id is replaced by ours, so the client can send feedback for it.
/// </summary>
public sealed class AnthropicMessagesPassthrough(
    HttpClient http, JsonObject body, string? anthropicVersion, string? anthropicBeta, HttpResponse response, string messageId, TimeProvider time) : IUpstreamExchange
{

    public Task<HttpResponseMessage> SendAsync(ProviderEndpoint endpoint, CancellationToken cancellationToken)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint.BaseAddress, "v1/messages"))
        {
            Content = JsonPayload.Content(body),
        };
        message.Headers.Add("x-api-key", endpoint.ApiKey);
        message.Headers.Add("anthropic-version", anthropicVersion ?? AnthropicChatProvider.ApiVersion);
        if (!string.IsNullOrEmpty(anthropicBeta)) message.Headers.Add("anthropic-beta", anthropicBeta);
        return http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    public async Task<string?> RelayAsync(HttpResponseMessage upstream, RequestRecord record, CancellationToken cancellationToken) =>
        JsonBody.Bool(body["stream"])
            ? await RelayStreamAsync(upstream, record, cancellationToken)
            : await RelayMessageAsync(upstream, record, cancellationToken);

    private async Task<string?> RelayMessageAsync(HttpResponseMessage upstream, RequestRecord record, CancellationToken cancellationToken)
    {
        var message = JsonNode.Parse(await upstream.Content.ReadAsByteArrayAsync(cancellationToken)) as JsonObject ?? new JsonObject();
        record.FirstTokenAt = time.GetUtcNow().UtcDateTime;
        message["id"] = messageId;
        var bytes = Encoding.UTF8.GetBytes(message.ToJsonString());
        record.Usage = AnthropicUsage.Read(message?["usage"]);
        var answer = new StringBuilder();
        foreach (var block in (message?["content"] as JsonArray ?? []).OfType<JsonObject>())
        {
            switch (JsonBody.String(block["type"]))
            {
                case "text": answer.Append(JsonBody.String(block["text"])); break;
                case "tool_use":
                    record.ToolCalls.Add(new ToolCallMade
                    {
                        Id = JsonBody.String(block["id"]),
                        Name = JsonBody.String(block["name"]) ?? "",
                        ArgumentsBytes = Encoding.UTF8.GetByteCount(block["input"]?.ToJsonString() ?? "{}"),
                    });
                    break;
            }
        }
        response.StatusCode = 200;
        response.ContentType = "application/json";
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, cancellationToken);
        return answer.ToString();
    }

    private async Task<string> RelayStreamAsync(HttpResponseMessage upstream, RequestRecord record, CancellationToken cancellationToken)
    {
        await SseWriter.StartAsync(response, cancellationToken);
        var answer = new StringBuilder();
        var tools = new Dictionary<int, (string? Id, string Name, int Bytes)>();
        await SseLines.RelayAsync(await upstream.Content.ReadAsStreamAsync(cancellationToken), response,
            line => RelayLine(line, record, answer, tools), cancellationToken);
        record.ToolCalls.AddRange(tools.OrderBy(t => t.Key).Select(t => new ToolCallMade { Id = t.Value.Id, Name = t.Value.Name, ArgumentsBytes = t.Value.Bytes }));
        return answer.ToString();
    }

    /// <summary>
    /// Passes one upstream line on as it came (message_start with our message id) and reads usage, answer text and
    /// tool calls off it. Deltas, nearly all of a stream, are read without a JSON tree; the few other events are parsed.
    /// </summary>
    private void RelayLine(ReadOnlySpan<byte> line, RequestRecord record, StringBuilder answer, Dictionary<int, (string? Id, string Name, int Bytes)> tools)
    {
        if (!line.StartsWith("data:"u8))
        {
            SseLines.Write(response, line);
            return;
        }
        var payload = line[5..].TrimStart((byte)' ');
        var delta = AnthropicDeltaEvent.Read(payload);
        if (delta.IsDelta)
        {
            SseLines.Write(response, line);
            record.FirstTokenAt ??= time.GetUtcNow().UtcDateTime;
            answer.Append(delta.Text);
            if (delta.PartialJsonBytes > 0 && tools.TryGetValue(delta.Index, out var tool))
                tools[delta.Index] = tool with { Bytes = tool.Bytes + delta.PartialJsonBytes };
            return;
        }

        var data = Parse(payload);
        switch (JsonBody.String(data?["type"]))
        {
            case "message_start" when data!["message"] is JsonObject message:
                message["id"] = messageId;
                SseLines.Write(response, "data: " + data.ToJsonString());
                record.Usage = AnthropicUsage.Read(message["usage"], record.Usage);
                return;
            case "message_delta":
                record.Usage = AnthropicUsage.Read(data!["usage"], record.Usage);
                break;
            case "content_block_start" when JsonBody.String(data!["content_block"]?["type"]) == "tool_use":
                var index = data["index"] is JsonValue v && v.TryGetValue<int>(out var i) ? i : 0;
                tools[index] = (JsonBody.String(data["content_block"]?["id"]), JsonBody.String(data["content_block"]?["name"]) ?? "", 0);
                break;
            case "error":
                record.Fail(502, "upstream_error", "anthropic: " + (JsonBody.String(data!["error"]?["message"]) ?? "stream error"));
                break;
        }
        SseLines.Write(response, line);
    }

    private static JsonObject? Parse(ReadOnlySpan<byte> payload)
    {
        try
        {
            return JsonNode.Parse(payload) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
