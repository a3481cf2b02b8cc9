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
        using var answerBytes = await PooledBody.ReadAsync(upstream.Content, cancellationToken);
        var bytes = answerBytes.Memory;
        record.FirstTokenAt = time.GetUtcNow().UtcDateTime;
        var message = JsonBody.ParseObject(bytes.Span);
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
                        ArgumentsBytes = block["input"] is { } input ? JsonPayload.Utf8(input).Length : 2, // the input as sent ("{}" when absent)
                    });
                    break;
            }
        }

        response.StatusCode = 200;
        response.ContentType = "application/json";
        if (TopLevelId(bytes.Span) is { } id)
        {
            // The answer as it came, but for the id: our message id is spliced in where the upstream's was.
            var ourId = Encoding.UTF8.GetBytes($"\"{JsonEncodedText.Encode(messageId).Value}\"");
            response.ContentLength = bytes.Length - id.Length + ourId.Length;
            await response.Body.WriteAsync(bytes[..id.Start], cancellationToken);
            await response.Body.WriteAsync(ourId, cancellationToken);
            await response.Body.WriteAsync(bytes[(id.Start + id.Length)..], cancellationToken);
        }
        else
        {
            message ??= new JsonObject();
            message["id"] = messageId;
            var rewritten = JsonPayload.Utf8(message);
            response.ContentLength = rewritten.Length;
            await response.Body.WriteAsync(rewritten, cancellationToken);
        }
        return answer.ToString();
    }

    /// <summary>Where the answer's top-level "id" string value is (quotes included); null when there is none.</summary>
    private static (int Start, int Length)? TopLevelId(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isId = reader.ValueTextEquals("id"u8);
                reader.Read();
                if (isId && reader.TokenType == JsonTokenType.String)
                    return ((int)reader.TokenStartIndex, (int)(reader.BytesConsumed - reader.TokenStartIndex));
                reader.Skip();
            }
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
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
        var payload = line[5..];
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

        var data = JsonBody.ParseObject(payload);
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
}
