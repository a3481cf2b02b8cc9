using System.Text;
using System.Text.Json.Nodes;

namespace Requesty.ProviderSimulator.Infrastructure;

/// <summary>Text inside provider content shapes: plain strings, part arrays ({type, text}), nested tool results.</summary>
public static class ContentText
{
    public static string Of(JsonNode? content)
    {
        if (content.Str() is { } text) return text;
        if (content is not JsonArray parts) return "";
        var builder = new StringBuilder();
        foreach (var part in parts)
        {
            var piece = part.Str() ?? part.Prop("text").Str() ?? Of(part.Prop("content"));
            if (piece.Length == 0) continue;
            if (builder.Length > 0) builder.Append('\n');
            builder.Append(piece);
        }
        return builder.ToString();
    }

    /// <summary>Joins non-empty pieces with new lines (the input the token counter sees).</summary>
    public static string Join(IEnumerable<string?> pieces) => string.Join('\n', pieces.Where(p => !string.IsNullOrEmpty(p)));
}
