using System.Text.Json.Nodes;
using Requesty.Router.Catalog;
using Requesty.Router.Endpoints.Responses;
using Requesty.Router.Pipeline;

namespace Requesty.Router.Routing;

/// <summary>
/// POST /v1/route/explain: which model a request would go to and why, without calling any provider and without
/// billing. Shows every candidate in order with the reason it would be skipped, and the policy's decisions
/// (load-balancing pick, latency order). The body is what the endpoint named by <c>?endpoint=</c> takes:
/// chat (OpenAI chat completions, the default), messages (Anthropic), responses, embeddings or images.
/// </summary>
public static class RouteExplainEndpoint
{
    private static readonly IClientErrors Errors = OpenAIClientErrors.Instance;

    public static IEndpointRouteBuilder MapRouteExplain(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/route/explain", ExplainAsync)
            .WithTags("Routing")
            .WithSummary("Explain where a request would be routed (no provider is called)")
            .WithDescription("?endpoint=chat (default) | messages | responses | embeddings | images: which endpoint's body this is, "
                + "so the candidates are checked for what that request needs (model kind, tools, images, streaming, context).");
        return app;
    }

    private static async Task ExplainAsync(HttpContext http, CallerAuthenticator authenticator, ChatDispatcher dispatcher,
        ModelCatalog catalog, RouterOptions options, TimeProvider time)
    {
        var cancellationToken = http.RequestAborted;
        var auth = await authenticator.AuthenticateAsync(http.Request, cancellationToken);
        if (auth.Caller is null)
        {
            await Errors.WriteAsync(http.Response, auth.Status, auth.Code!, auth.Message!);
            return;
        }
        var body = await JsonBody.ReadObjectAsync(http.Request, cancellationToken);
        if (body is null)
        {
            await Errors.WriteAsync(http.Response, 400, "invalid_json", "The request body must be a JSON object.");
            return;
        }

        var record = new RequestRecord(Guid.CreateVersion7(), time.GetUtcNow().UtcDateTime, auth.Caller, "route.explain")
        {
            Metadata = RequestyExtension.Extract(body),
        };
        var modelId = JsonBody.String(body["model"]) ?? auth.Caller.DefaultModel ?? options.DefaultModel;
        var endpoint = http.Request.Query["endpoint"].ToString();
        RouteRequirements? needs;
        try
        {
            needs = Requirements(endpoint.Length == 0 ? "chat" : endpoint, body);
        }
        catch (InvalidResponsesRequestException invalid)
        {
            await Errors.WriteAsync(http.Response, 400, "invalid_request", invalid.Message, invalid.Param);
            return;
        }
        if (needs is null)
        {
            await Errors.WriteAsync(http.Response, 400, "invalid_request",
                $"'{endpoint}' is not an endpoint that takes a model; use chat, messages, responses, embeddings or images.", "endpoint");
            return;
        }
        var traceId = record.Metadata.TraceId is { Length: > 0 } trace ? trace : null;

        RoutePlan plan;
        if (RoutePlanner.IsPolicy(modelId))
        {
            if (!dispatcher.TryPlan(record, modelId[RoutePlanner.Prefix.Length..], out plan))
            {
                await Errors.WriteAsync(http.Response, 404, "model_not_found", $"The policy '{modelId}' does not exist for this API key.", "model");
                return;
            }
        }
        else
        {
            plan = new RoutePlan("", [new RouteCandidate(modelId, 0, "platform", "")], []);
        }

        var candidates = new JsonArray();
        JsonObject? chosen = null;
        foreach (var candidate in plan.Candidates)
        {
            var reason = dispatcher.WhyNot(candidate, needs, record.Caller.OrganizationId);
            var provider = catalog.TryFind(candidate.Model, out var model) ? model.Provider : null;
            candidates.Add(new JsonObject
            {
                ["model"] = candidate.Model,
                ["provider"] = provider,
                ["retries"] = candidate.Retries,
                ["key_source"] = candidate.KeySource,
                ["via"] = candidate.Via.Length == 0 ? null : candidate.Via,
                ["eligible"] = reason is null,
                ["skip_reason"] = reason,
            });
            if (reason is null && chosen is null) chosen = new JsonObject { ["model"] = candidate.Model, ["provider"] = provider };
        }

        var notes = new JsonArray(plan.Notes.Select(n => (JsonNode?)JsonValue.Create(n)).ToArray());
        if (traceId is null && plan.Notes.Any(n => n.Contains("load balancing", StringComparison.Ordinal)))
            notes.Add("No requesty.trace_id: a real request hashes its own request id, so its load-balancing pick may differ.");
        await http.Response.WriteAsJsonAsync(new JsonObject
        {
            ["model"] = modelId,
            ["policy"] = plan.PolicyName.Length == 0 ? null : plan.PolicyName,
            ["trace_id"] = traceId,
            ["chosen"] = chosen,
            ["candidates"] = candidates,
            ["notes"] = notes,
        }, cancellationToken);
    }

    /// <summary>What the request needs from a model, read as the named endpoint reads its body; null for an unknown endpoint.</summary>
    private static RouteRequirements? Requirements(string endpoint, JsonObject body)
    {
        var stream = JsonBody.Bool(body["stream"]);
        return endpoint switch
        {
            "chat" => RouteRequirements.FromChat(body, stream),
            "messages" => RouteRequirements.FromMessages(body, stream),
            "responses" => RouteRequirements.FromChat(ResponsesToChatMapper.ToChat(body), stream),
            "embeddings" => RouteRequirements.Of(ModelKind.Embedding),
            "images" => RouteRequirements.Of(ModelKind.Image),
            _ => null,
        };
    }
}
