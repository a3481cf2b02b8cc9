using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Requesty.Analytics.Application.Ingestion;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(RequestRow))]
[JsonSerializable(typeof(ToolCallRow))]
internal sealed partial class AnalyticsRowsJsonContext : JsonSerializerContext;

/// <summary>Serializer settings for rows going to ClickHouse: snake_case, UTF-8 written as-is (smaller than \u escapes).</summary>
public static class AnalyticsRowsJson
{
    private static readonly AnalyticsRowsJsonContext Context = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public static System.Text.Json.Serialization.Metadata.JsonTypeInfo<RequestRow> RequestRow => Context.RequestRow;

    public static System.Text.Json.Serialization.Metadata.JsonTypeInfo<ToolCallRow> ToolCallRow => Context.ToolCallRow;
}
