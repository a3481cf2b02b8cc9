using System.Net.Mime;
using System.Text.Json;
using System.Text.Json.Serialization;
using MassTransit;
using MassTransit.Metadata;
using MassTransit.Serialization;

namespace Requesty.Router.Events;

/// <summary>
/// Serializes one <see cref="Requesty.Contracts.Events.RequestCompletedBatch"/> for the wire from the JSON its events
/// already have in the journal, instead of serializing every event a second time: MassTransit's own envelope (same
/// content type, headers and fields, written by MassTransit's serializer) around <c>{"events":[line, line, ...]}</c>.
/// Consumers read it exactly like any other MassTransit message.
/// </summary>
public sealed class JournalLinesSerializer(IReadOnlyList<ReadOnlyMemory<byte>> eventsJson) : IMessageSerializer
{
    public ContentType ContentType => SystemTextJsonMessageSerializer.JsonContentType;

    public MessageBody GetMessageBody<T>(SendContext<T> context) where T : class
    {
        var envelope = new JsonMessageEnvelope(context, new EventLines(eventsJson)) { MessageType = MessageTypeCache<T>.MessageTypeNames };
        return new BytesMessageBody(JsonSerializer.SerializeToUtf8Bytes(envelope, SystemTextJsonMessageSerializer.Options));
    }

    /// <summary>The message body: the events' journal lines, written as they are into one array.</summary>
    [JsonConverter(typeof(EventLinesConverter))]
    private sealed class EventLines(IReadOnlyList<ReadOnlyMemory<byte>> lines)
    {
        public IReadOnlyList<ReadOnlyMemory<byte>> Lines { get; } = lines;
    }

    private sealed class EventLinesConverter : JsonConverter<EventLines>
    {
        public override EventLines Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("Only written; consumers read RequestCompletedBatch.");

        public override void Write(Utf8JsonWriter writer, EventLines value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            writer.WriteStartArray("events");
            // Lines come from the journal's own serializer (or were parsed back from disk before getting here).
            foreach (var line in value.Lines) writer.WriteRawValue(line.Span, skipInputValidation: true);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
    }
}
