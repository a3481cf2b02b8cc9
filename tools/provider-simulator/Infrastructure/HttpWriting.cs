using System.Text.Json.Nodes;

namespace Requesty.ProviderSimulator.Infrastructure;

public static class HttpWriting
{
    public static async Task WriteJsonAsync(this HttpResponse response, JsonNode body, int status = StatusCodes.Status200OK)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        await response.WriteAsync(body.ToJsonString(WireJson.Options), response.HttpContext.RequestAborted);
    }

    public static string? BearerToken(this HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        return header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && header.Length > prefix.Length
            ? header[prefix.Length..].Trim()
            : null;
    }

    /// <summary>The request body as JSON: the recording middleware parses it once and shares it (read-only).</summary>
    public static async Task<JsonNode?> ReadJsonBodyAsync(this HttpContext context)
    {
        if (context.Items.TryGetValue(RequestBodyKey, out var cached)) return cached as JsonNode;
        var body = await ParseAsync(context.Request);
        context.Items[RequestBodyKey] = body;
        return body;
    }

    internal const string RequestBodyKey = "sim.body";
    private const string RawBodyKey = "sim.raw-body";

    /// <summary>The request body as text (form posts such as OAuth token requests are not JSON).</summary>
    public static async Task<string> ReadBodyTextAsync(this HttpContext context)
    {
        await context.ReadJsonBodyAsync();
        return context.Items.TryGetValue(RawBodyKey, out var text) && text is string body ? body : "";
    }

    internal static async Task<JsonNode?> ParseAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        request.HttpContext.Items[RawBodyKey] = text;
        if (string.IsNullOrWhiteSpace(text)) return null;
        try
        {
            return JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
