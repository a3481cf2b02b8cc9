using System.Text.Json.Nodes;
using Requesty.ProviderSimulator.Infrastructure;

namespace Requesty.ProviderSimulator.Behaviour;

/// <summary>Builds an error body in one provider's wire format.</summary>
public delegate JsonNode ProviderErrorBody(int status, string message);

public static class ProviderErrorWriting
{
    public static async Task WriteProviderErrorAsync(this HttpResponse response, ProviderErrorBody format, int status, string message, int? retryAfterSeconds = null)
    {
        if (retryAfterSeconds is { } seconds) response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.StatusCode = status;
        response.ContentType = "application/json";
        await response.WriteAsync(format(status, message).ToJsonString(WireJson.Options));
    }
}
