using System.Net;
using System.Text.Json.Nodes;
using Requesty.Management.Tests.Support;

namespace Requesty.Management.Tests.TimeTravel;

/// <summary>GETs of a resource as it was (`?as_of=`), for the time-travel and audit tests.</summary>
internal static class AsOfRequests
{
    public static async Task<JsonNode> OkAsync(HttpClient client, string url) =>
        await (await client.GetAsync(url)).ReadJsonAsync(HttpStatusCode.OK);

    public static async Task NotFoundAsync(HttpClient client, string url) =>
        await (await client.GetAsync(url)).ReadProblemAsync(HttpStatusCode.NotFound);

    /// <summary>A moment as an `as_of` query value (ISO 8601, UTC, escaped).</summary>
    public static string Iso(DateTime value) => Uri.EscapeDataString(value.ToUniversalTime().ToString("O"));
}
