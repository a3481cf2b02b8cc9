using System.Text.Json;

namespace Requesty.Router.Providers.OpenAIResponses;

/// <summary>
/// Reads a Responses stream delta event (output text, function call arguments, reasoning summary or refusal: nearly
/// every event of a stream) with a forward-only reader; no JSON tree, no string but the output text.
/// </summary>
public static class ResponsesDeltaEvent
{
    /// <summary>IsDelta is false for any other event (or a payload that is not JSON); Text is set for output text only.</summary>
    public readonly record struct Facts(bool IsDelta, string? Text);

    public static Facts Read(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return default;
            var kind = Kind.Unknown;
            string? delta = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    reader.Read();
                    kind = KindOf(ref reader);
                    if (kind == Kind.Other) return default;
                }
                else if (reader.ValueTextEquals("delta"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String) delta = reader.GetString();
                    else reader.Skip();
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            return kind switch
            {
                Kind.OutputText => new Facts(true, delta),
                Kind.OtherDelta => new Facts(true, null),
                _ => default,
            };
        }
        catch (JsonException)
        {
            return default;
        }
    }

    private enum Kind { Unknown, OutputText, OtherDelta, Other }

    private static Kind KindOf(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String) return Kind.Other;
        if (reader.ValueTextEquals("response.output_text.delta"u8)) return Kind.OutputText;
        return reader.ValueTextEquals("response.function_call_arguments.delta"u8)
            || reader.ValueTextEquals("response.reasoning_summary_text.delta"u8)
            || reader.ValueTextEquals("response.refusal.delta"u8)
            ? Kind.OtherDelta : Kind.Other;
    }
}
