using System.Text.Json.Nodes;

namespace Requesty.Router.Pipeline;

/// <summary>The steps every endpoint handler takes before dispatching; failures are answered in the client's error format.</summary>
public static class HandlerSteps
{
    /// <summary>Marks the request failed (for its RequestCompleted event) and answers the error in the client's format.</summary>
    public static async Task FailAsync(this IClientErrors errors, HttpContext http, RequestRecord record, int status, string code, string message, string? param = null)
    {
        record.Fail(status, code, message);
        await errors.WriteAsync(http.Response, status, code, message, param);
    }

    /// <summary>The request body as a JSON object; null, already answered with 400 invalid_json, when it is not one.</summary>
    public static async Task<JsonObject?> ReadBodyAsync(this IClientErrors errors, HttpContext http, RequestRecord record, CancellationToken cancellationToken)
    {
        var read = await JsonBody.ReadAsync(http.Request, cancellationToken);
        if (read.Body is null) await errors.FailAsync(http, record, 400, "invalid_json", read.Problem);
        return read.Body;
    }

    /// <summary>
    /// Records the requesty metadata and the requested model of a chat-style request: the body's model,
    /// else the API key's default, else the router's.
    /// </summary>
    public static string RecordRequestedModel(RequestRecord record, JsonObject body, RouterOptions options)
    {
        record.Metadata = RequestyExtension.Extract(body);
        record.ToolResultIds.AddRange(ToolResultIds.Read(body));
        record.RequestedModel = JsonBody.String(body["model"]) ?? record.Caller.DefaultModel ?? options.DefaultModel;
        return record.RequestedModel;
    }
}
