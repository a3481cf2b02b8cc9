using Requesty.Alerts.Application.Alerts;
using Requesty.Alerts.Application.Delivery;
using Requesty.Alerts.Auth;
using Requesty.Alerts.Infrastructure;

namespace Requesty.Alerts.Apis;

public static class WebhookApi
{
    public static IEndpointRouteBuilder MapWebhookApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/alerts/webhook").WithTags("Alert webhook");
        group.MapGet("", GetAsync).RequireAlertsAccess(AlertsAccessLevel.AdminRead).WithName("GetAlertWebhook").WithSummary("The organization's webhook (the secret is never returned).")
            .Produces<WebhookDto>().ProducesProblem(StatusCodes.Status404NotFound).ProducesValidationProblem();
        group.MapPut("", PutAsync).RequireAlertsAccess(AlertsAccessLevel.Write).WithName("PutAlertWebhook")
            .WithSummary("Sets the webhook (json or slack, http/https). Takes effect immediately, pending alerts included. Optional secret enables X-Requesty-Signature.")
            .Produces<WebhookDto>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status401Unauthorized);
        return app;
    }

    private static async Task<IResult> GetAsync(HttpContext http, WebhookStore webhooks, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (OrgScope.Resolve(http, errors) is not { } org) return TypedResults.ValidationProblem(errors);
        return await webhooks.GetAsync(org, ct) is { } webhook
            ? TypedResults.Ok(WebhookDto.From(webhook))
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "The organization has no webhook; alerts are stored but not delivered.");
    }

    private static async Task<IResult> PutAsync(
        HttpContext http, PutWebhookRequest? body,
        WebhookStore webhooks, WebhookUrlPolicy urlPolicy, WebhookSecrets secrets, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var org = OrgScope.Resolve(http, body?.OrgId, errors, out var notFound);
        if (notFound is not null) return notFound;
        if (body?.Type is not { } type || !WebhookTypes.All.Contains(type))
            errors["type"] = [$"type must be one of: {string.Join(", ", WebhookTypes.All)}."];
        if (await urlPolicy.ValidateAsync(body?.Url, ct) is { } urlError)
            errors["url"] = [urlError];
        if (body?.Secret is { } secret)
        {
            if (secret.Length is < 16 or > 256) errors["secret"] = ["secret must be 16 to 256 characters."];
            else if (!secrets.CanEncrypt) errors["secret"] = ["Signing secrets need Alerts:Webhooks:SecretKey configured on the alerts service."];
        }
        if (errors.Count > 0 || org is null) return TypedResults.ValidationProblem(errors);

        var webhook = new WebhookConfig(org.Value, body!.Type!, body.Url!,
            body.Secret is { } s ? secrets.Encrypt(s) : null, clock.GetUtcNow().UtcDateTime);
        await webhooks.UpsertAsync(webhook, ct);
        return TypedResults.Ok(WebhookDto.From(webhook));
    }
}

public sealed record PutWebhookRequest(string? Type, string? Url, string? Secret, Guid? OrgId);

public sealed record WebhookDto(string Type, string Url, bool Signed, DateTime UpdatedAt)
{
    public static WebhookDto From(WebhookConfig webhook) => new(webhook.Type, webhook.Url, webhook.SecretEncrypted is not null, webhook.UpdatedAt);
}
