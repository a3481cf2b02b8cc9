using Requesty.Management.Apis.Http;
using Requesty.Management.Apis.Security;
using Requesty.Management.Application.Byok;
using Requesty.Management.Domain.ApiKeys;
using Requesty.Management.Infrastructure.ReadModels;

namespace Requesty.Management.Apis.Byok;

/// <summary>
/// /v1/manage/byok: the organisation's own provider keys (Bring Your Own Keys), used by policy entries whose
/// key_source is byok, platform_then_byok or byok_then_platform. Keys are write-only: responses carry a hint.
/// </summary>
public static class ByokApi
{
    public static RouteGroupBuilder MapByokApi(this RouteGroupBuilder manage)
    {
        var byok = manage.MapGroup("/byok").WithTags("Bring your own keys").AddEndpointFilter(RequireManageWrite);

        byok.MapGet("", List).Produces<ByokKeyListResponse>()
            .WithSummary("List your own provider keys").WithDescription("Provider, a hint (last four characters) and dates; never the key.");
        byok.MapPut("/{provider}", Put).Produces<ByokKeyResponse>().Produces<ByokKeyResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .AddEndpointFilter<ValidationFilter<PutByokKeyRequest>>()
            .WithSummary("Add or replace your key for a provider")
            .WithDescription("Providers: openai, anthropic, google, xai; at most one key per provider. The key is stored encrypted (AES-256-GCM).");
        byok.MapDelete("/{provider}", Delete).Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Remove your key for a provider").WithDescription("Policy entries using it are skipped from then on.");
        byok.MapPost("/reseal", Reseal).Produces<ByokKeyListResponse>().ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("Re-encrypt your keys under the active master key")
            .WithDescription("After a master key rotation (Byok:ActiveKeyId changed): keys sealed with an older master key are sealed again with the active one.");
        return manage;
    }

    /// <summary>Own keys are an admin matter: every route needs manage_write (reads included).</summary>
    private static async ValueTask<object?> RequireManageWrite(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (!context.HttpContext.Caller().Permissions.Contains(ApiKeyPermissions.ManageWrite))
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
                detail: $"Managing your own provider keys needs the '{ApiKeyPermissions.ManageWrite}' permission.");
        return await next(context);
    }

    private static async Task<IResult> List(HttpContext http, ByokKeyReadModel keys, CancellationToken ct)
    {
        var rows = await keys.ListAsync(http.Caller().OrganizationId, ct);
        return TypedResults.Ok(new ByokKeyListResponse(rows.Select(ByokKeyResponse.From).ToArray()));
    }

    private static async Task<IResult> Put(
        string provider, PutByokKeyRequest request, HttpContext http, ByokCommands commands, ByokKeyReadModel keys, CancellationToken ct)
    {
        if (!ByokRules.IsProvider(provider)) return InvalidProvider();
        if (!IfMatch.TryGetVersion(http.Request, out var expectedVersion)) return IfMatch.InvalidHeader();
        var caller = http.Caller();
        try
        {
            var (_, created) = await commands.PutAsync(caller, provider, request.ApiKey!, expectedVersion, caller.Metadata(http.TraceIdentifier), ct);
            var row = (await keys.ListAsync(caller.OrganizationId, ct)).Single(k => k.Provider == provider);
            http.Response.Headers.ETag = IfMatch.ETag(row.Version);
            return created
                ? TypedResults.Created($"/v1/manage/byok/{provider}", ByokKeyResponse.From(row))
                : TypedResults.Ok(ByokKeyResponse.From(row));
        }
        catch (ByokEncryptionNotConfiguredException notConfigured)
        {
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Own keys are not available",
                detail: notConfigured.Message);
        }
    }

    private static async Task<IResult> Reseal(HttpContext http, ByokCommands commands, ByokKeyReadModel keys, CancellationToken ct)
    {
        var caller = http.Caller();
        try
        {
            await commands.ResealAsync(caller, caller.Metadata(http.TraceIdentifier), ct);
        }
        catch (ByokEncryptionNotConfiguredException notConfigured)
        {
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Own keys are not available", detail: notConfigured.Message);
        }
        var rows = await keys.ListAsync(caller.OrganizationId, ct);
        return TypedResults.Ok(new ByokKeyListResponse(rows.Select(ByokKeyResponse.From).ToArray()));
    }

    private static async Task<IResult> Delete(string provider, HttpContext http, ByokCommands commands, CancellationToken ct)
    {
        if (!ByokRules.IsProvider(provider)) return InvalidProvider();
        if (!IfMatch.TryGetVersion(http.Request, out var expectedVersion)) return IfMatch.InvalidHeader();
        var caller = http.Caller();
        return await commands.DeleteAsync(caller, provider, expectedVersion, caller.Metadata(http.TraceIdentifier), ct)
            ? TypedResults.NoContent()
            : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"No own key is configured for {provider}.");
    }

    private static IResult InvalidProvider() =>
        Results.ValidationProblem(new Dictionary<string, string[]> { ["provider"] = [ByokRules.ProviderMessage] }, title: "The request is invalid.");
}
