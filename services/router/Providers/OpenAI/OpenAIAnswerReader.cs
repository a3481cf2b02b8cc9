using System.Buffers;
using System.Text;
using System.Text.Json;
using Requesty.Contracts.Events;

namespace Requesty.Router.Providers.OpenAI;

/// <summary>What accounting needs from one OpenAI chat completion or chunk, read by <see cref="OpenAIAnswerReader"/>.</summary>
public struct OpenAIAnswerFacts
{
    /// <summary>False when the JSON is not an object (nothing else is set then).</summary>
    public bool IsObject;
    public OpenAIJsonShape Shape;
    public bool HasError;
    /// <summary>A choice's delta (chunk) or message (completion) has "tool_calls": read them from the parsed form.</summary>
    public bool HasToolCalls;
    /// <summary>The first choice has a delta (chunk) or message (completion) object.</summary>
    public bool FirstChoiceHasPart;
    /// <summary>Byte range of the first choice's content string, quotes included (length 0: none, or not a string).</summary>
    public int ContentStart, ContentLength;
    public TokenUsage? Usage;
}

/// <summary>
/// Reads an OpenAI chat completion or chunk forward only with <see cref="Utf8JsonReader"/> (no JSON tree, no
/// per-field allocations): the id's position, usage, the first choice's text and whether tool calls or an error are in it.
/// </summary>
public static class OpenAIAnswerReader
{
    /// <param name="part">"delta" for stream chunks, "message" for whole completions.</param>
    public static OpenAIAnswerFacts Read(ReadOnlySpan<byte> json, ReadOnlySpan<byte> part)
    {
        var facts = new OpenAIAnswerFacts();
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return facts;
        facts.IsObject = true;
        int idStart = 0, idLength = 0, choices = 0;
        var hasUsage = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                idStart = (int)reader.TokenStartIndex;
                reader.Skip();
                idLength = (int)reader.BytesConsumed - idStart;
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    hasUsage = true;
                    facts.Usage = OpenAIUsage.Read(ref reader);
                }
                else reader.Skip();
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                facts.HasError |= reader.TokenType == JsonTokenType.StartObject;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("choices"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    reader.Skip();
                    continue;
                }
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType == JsonTokenType.StartObject) ReadChoice(ref reader, part, first: choices == 0, ref facts);
                    else reader.Skip();
                    choices++;
                }
            }
            else reader.Skip();
        }
        facts.Shape = new OpenAIJsonShape(idStart, idLength, hasUsage, choices);
        return facts;
    }

    /// <summary>The first choice's content text (unescaped); null when there is none or it is not a string.</summary>
    public static string? Content(ReadOnlySpan<byte> json, in OpenAIAnswerFacts facts)
    {
        if (facts.ContentLength == 0) return null;
        var reader = new Utf8JsonReader(json.Slice(facts.ContentStart, facts.ContentLength));
        return reader.Read() ? reader.GetString() : null;
    }

    /// <summary>Appends the JSON string at <paramref name="quoted"/> (quotes included) to <paramref name="text"/>, unescaped.</summary>
    public static void AppendString(StringBuilder text, ReadOnlySpan<byte> quoted)
    {
        var reader = new Utf8JsonReader(quoted);
        if (!reader.Read() || reader.TokenType != JsonTokenType.String) return;
        var rented = reader.ValueSpan.Length > 256 ? ArrayPool<char>.Shared.Rent(reader.ValueSpan.Length) : null;
        Span<char> chars = rented ?? stackalloc char[256];
        var length = reader.CopyString(chars);
        text.Append(chars[..length]);
        if (rented is not null) ArrayPool<char>.Shared.Return(rented);
    }

    private static void ReadChoice(ref Utf8JsonReader reader, ReadOnlySpan<byte> part, bool first, ref OpenAIAnswerFacts facts)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals(part))
            {
                reader.Skip();
                continue;
            }
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }
            if (first) facts.FirstChoiceHasPart = true;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("content"u8))
                {
                    reader.Read();
                    if (first && reader.TokenType == JsonTokenType.String)
                    {
                        facts.ContentStart = (int)reader.TokenStartIndex;
                        facts.ContentLength = (int)reader.BytesConsumed - facts.ContentStart;
                    }
                    else reader.Skip();
                }
                else if (reader.ValueTextEquals("tool_calls"u8))
                {
                    reader.Read();
                    facts.HasToolCalls |= reader.TokenType == JsonTokenType.StartArray;
                    reader.Skip();
                }
                else reader.Skip();
            }
        }
    }
}
