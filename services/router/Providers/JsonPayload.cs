using System.Buffers;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Requesty.Router.Providers;

/// <summary>
/// Upstream request bodies as UTF-8 JSON. Values that came from the client's request are copied as the client sent
/// them: a coding agent's request is tens of KB of escaped source code, which System.Text.Json would otherwise
/// unescape and escape again value by value (a third of the router's CPU on such requests). The router's own values
/// are written with JSON's escaping only: non-ASCII text stays UTF-8 instead of growing into \u escapes.
/// </summary>
public static class JsonPayload
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The body as request content (application/json).</summary>
    public static HttpContent Content(JsonNode body) => new ByteArrayContent(Utf8(body)) { Headers = { ContentType = Json } };

    /// <summary>
    /// The body as UTF-8 JSON in an array of its exact size. It is written into a buffer this thread keeps (writing
    /// never awaits), so a large body costs one allocation and one copy, not a series of doubling buffers.
    /// </summary>
    public static byte[] Utf8(JsonNode body)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(16 * 1024);
        var writer = t_writer ??= new Utf8JsonWriter(buffer, WriterOptions);
        try
        {
            Write(writer, body);
            writer.Flush();
            return buffer.WrittenSpan.ToArray();
        }
        finally
        {
            writer.Reset(buffer);
            buffer.ResetWrittenCount();
            // A PDF-sized body's buffer is not kept for the thread's lifetime.
            if (buffer.Capacity > KeptBufferBytes) (t_buffer, t_writer) = (null, null);
        }
    }

    private const int KeptBufferBytes = 1024 * 1024;
    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    public static void Write(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject properties:
                writer.WriteStartObject();
                foreach (var (name, value) in properties)
                {
                    writer.WritePropertyName(name);
                    Write(writer, value);
                }
                writer.WriteEndObject();
                break;
            case JsonArray items:
                writer.WriteStartArray();
                foreach (var item in items) Write(writer, item);
                writer.WriteEndArray();
                break;
            // A value parsed from the client's JSON: its bytes were validated by the parser and are copied as they are.
            case JsonValue value when value.TryGetValue<JsonElement>(out var parsed):
                writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(parsed), skipInputValidation: true);
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }
}
