using System.Text.Json;
using System.Text.Json.Nodes;

namespace Requesty.Router.Pipeline;

/// <summary>Turns a provider's error answer into the client's error, in the client's format.</summary>
public static class UpstreamErrors
{
    public static string KindFor(int status) => status switch
    {
        429 => "rate_limit",
        401 or 403 => "upstream_auth",
        400 or 404 or 413 or 422 => "invalid_request",
        408 or 504 => "timeout",
        _ => "upstream_error",
    };

    public static async Task RelayAsync(HttpResponse response, IClientErrors errors, HttpResponseMessage upstream, RequestRecord record, string provider, CancellationToken cancellationToken)
    {
        var status = (int)upstream.StatusCode;
        var message = $"{provider}: " + (await ReadMessageAsync(upstream, cancellationToken) ?? $"the provider answered HTTP {status}.");
        // The provider rejected the platform's credentials, not the caller's: that is our fault, not the client's.
        var clientStatus = status is 401 or 403 ? 502 : status;
        if (upstream.Headers.RetryAfter is { } retryAfter) response.Headers.RetryAfter = retryAfter.ToString();
        record.Fail(clientStatus, KindFor(status), message);
        await errors.WriteAsync(response, clientStatus, KindFor(status), message);
    }

    private static async Task<string?> ReadMessageAsync(HttpResponseMessage upstream, CancellationToken cancellationToken)
    {
        try
        {
            var text = await upstream.Content.ReadAsStringAsync(cancellationToken);
            if (text.Length > 8192) text = text[..8192];
            var node = JsonNode.Parse(text);
            return JsonBody.String(node?["error"]?["message"]) ?? JsonBody.String(node?["error"]) ?? JsonBody.String(node?["message"]);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
