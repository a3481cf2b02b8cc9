using System.Text.Json;

namespace Requesty.ProviderSimulator.Recording;

/// <summary>GET / DELETE /__sim/requests: what the simulator received (tests assert on forwarded headers and bodies).</summary>
public static class RecordingEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static IEndpointRouteBuilder MapRequestRecording(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/__sim/requests").WithTags("Simulator control");
        group.MapGet("", (RequestLog log, int? limit) => Results.Json(log.Latest(limit is > 0 ? limit.Value : int.MaxValue), Json));
        group.MapDelete("", (RequestLog log) =>
        {
            log.Clear();
            return Results.NoContent();
        });
        return app;
    }
}
