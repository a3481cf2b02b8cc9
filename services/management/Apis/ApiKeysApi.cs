using Requesty.Management.Apis.Http;
using Requesty.Management.Apis.Security;
using Requesty.Management.Application;
using Requesty.Management.Application.ApiKeys;
using Requesty.Management.Application.Spend;
using Requesty.Management.Application.TimeTravel;
using Requesty.Management.Application.Usage;
using Requesty.Management.Infrastructure.ReadModels;

namespace Requesty.Management.Apis;

/// <summary>/v1/manage/apikey: create, list, inspect, limit, label, expire and delete the organisation's API keys.</summary>
public static class ApiKeysApi
{
    public static RouteGroupBuilder MapApiKeysApi(this RouteGroupBuilder manage)
    {
        // Members manage their own keys (the commands answer 404 for anyone else's); everything else is admin-only.
        var keys = manage.MapGroup("/apikey").WithTags("API keys").AllowMemberWrites();

        keys.MapGet("", List).Produces<ApiKeyListResponse>()
            .WithSummary("List API keys").WithDescription("Every live key of your organisation (a member sees only their own); secrets are never returned.");
        keys.MapPost("", Create).Produces<CreatedApiKeyResponse>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .AddEndpointFilter<ValidationFilter<CreateApiKeyRequest>>()
            .WithSummary("Create an API key")
            .WithDescription("The key string is returned once, in this response only. The key belongs to service_account_id, or to user_id " +
                "(admins only; default: your own user) and then defaults to that user's private project; project_id picks another project.");
        keys.MapGet("/{id:guid}", Get).Produces<ApiKeyDetailsResponse>().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesValidationProblem()
            .WithSummary("Get an API key and its usage")
            .WithDescription("Details of a key, its spend this month (UTC) and its usage from analytics: start, end (ISO dates or instants; "
                + "default the current month), period (hour|day|week|month, default day), group_by (user|model|<metadata field>). "
                + "If analytics is unavailable, usage is null and usage_error says why. " + AsOf.Description + " Answers an ETag for If-Match.");
        keys.MapDelete("/{id:guid}", Delete).Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Delete an API key").WithDescription("Permanent; requests with the key fail from now on.");
        keys.MapPost("/{id:guid}/limit", UpdateLimit)
            .Produces<ApiKeyResponse>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .AddEndpointFilter<ValidationFilter<UpdateApiKeyLimitRequest>>()
            .WithSummary("Update the monthly limit").WithDescription("monthly_limit in USD; null removes the limit.");
        keys.MapPost("/{id:guid}/labels", UpdateLabels)
            .Produces<ApiKeyResponse>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .AddEndpointFilter<ValidationFilter<UpdateApiKeyLabelsRequest>>()
            .WithSummary("Update labels").WithDescription("Replaces all labels; an empty object removes them.");
        keys.MapPost("/{id:guid}/expiry", UpdateExpiry)
            .Produces<ApiKeyResponse>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .AddEndpointFilter<ValidationFilter<UpdateApiKeyExpiryRequest>>()
            .WithSummary("Update expiry").WithDescription("null removes the expiry. An expired key cannot be un-expired (409).");
        return manage;
    }

    private static async Task<IResult> List(HttpContext http, ApiKeyReadModel apiKeys, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var caller = http.Caller();
        var rows = await apiKeys.ListAsync(caller.OrganizationId, ct, caller.IsAdmin ? null : caller.UserId ?? Guid.Empty);
        return TypedResults.Ok(new ApiKeyListResponse(rows.Select(r => ApiKeyResponse.From(r, now)).ToArray()));
    }

    private static async Task<IResult> Create(
        CreateApiKeyRequest request, HttpContext http, ApiKeyCommands commands, ApiKeyReadModel apiKeys, TimeProvider time, CancellationToken ct)
    {
        var caller = http.Caller();
        Guid id;
        string key;
        try
        {
            (id, key) = await commands.CreateAsync(caller, request, caller.Metadata(http.TraceIdentifier), ct);
        }
        catch (ApiKeyReferenceException invalid)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { [invalid.Field] = [invalid.Message] }, title: "The request is invalid.");
        }
        catch (ApiKeyForbiddenException forbidden)
        {
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: forbidden.Message);
        }
        var row = await apiKeys.FindAsync(caller.OrganizationId, id, ct) ?? throw new ResourceNotFoundException("API key", id);
        http.Response.Headers.ETag = IfMatch.ETag(row.Version);
        return TypedResults.Created($"/v1/manage/apikey/{id}", CreatedApiKeyResponse.From(row, key, time.GetUtcNow().UtcDateTime));
    }

    private static async Task<IResult> Get(
        Guid id, HttpContext http, ApiKeyReadModel apiKeys, SpendLedger spend, KeyUsageService usage, StreamTimeTravel travel,
        TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (!AsOf.TryRead(http.Request, now, out var asOf, out var invalidAsOf)) return invalidAsOf;
        var usageQuery = UsageQuery.Parse(http.Request.Query, now, out var usageErrors);
        if (usageQuery is null) return Results.ValidationProblem(usageErrors, title: "The request is invalid.");
        var organizationId = http.Caller().OrganizationId;
        var row = (asOf is { } at ? await travel.FindApiKeyAsync(organizationId, id, at, ct) : await apiKeys.FindAsync(organizationId, id, ct))
            ?? throw new ResourceNotFoundException("API key", id);
        if (!http.Caller().MaySee(row.UserId)) throw new ResourceNotFoundException("API key", id); // members: own keys only
        var spendThisMonth = await spend.MonthSpendAsync(id, asOf ?? now, ct);
        var (keyUsage, usageError) = await usage.GetAsync(organizationId, id, usageQuery, ct);
        if (asOf is null) http.Response.Headers.ETag = IfMatch.ETag(row.Version);
        return TypedResults.Ok(ApiKeyDetailsResponse.From(row, spendThisMonth, asOf ?? now) with { Usage = keyUsage, UsageError = usageError });
    }

    private static async Task<IResult> Delete(Guid id, HttpContext http, ApiKeyCommands commands, CancellationToken ct)
    {
        if (!IfMatch.TryGetVersion(http.Request, out var expectedVersion)) return IfMatch.InvalidHeader();
        var caller = http.Caller();
        await commands.DeleteAsync(caller, id, expectedVersion, caller.Metadata(http.TraceIdentifier), ct);
        return TypedResults.NoContent();
    }

    private static Task<IResult> UpdateLimit(
        Guid id, UpdateApiKeyLimitRequest request, HttpContext http, ApiKeyCommands commands, ApiKeyReadModel apiKeys, TimeProvider time, CancellationToken ct) =>
        Update(id, http, apiKeys, time, ct, (caller, version, metadata) =>
            commands.ChangeMonthlyLimitAsync(caller, id, request.MonthlyLimit, version, metadata, ct));

    private static Task<IResult> UpdateLabels(
        Guid id, UpdateApiKeyLabelsRequest request, HttpContext http, ApiKeyCommands commands, ApiKeyReadModel apiKeys, TimeProvider time, CancellationToken ct) =>
        Update(id, http, apiKeys, time, ct, (caller, version, metadata) =>
            commands.ChangeLabelsAsync(caller, id, request.Labels!, version, metadata, ct));

    private static Task<IResult> UpdateExpiry(
        Guid id, UpdateApiKeyExpiryRequest request, HttpContext http, ApiKeyCommands commands, ApiKeyReadModel apiKeys, TimeProvider time, CancellationToken ct) =>
        Update(id, http, apiKeys, time, ct, (caller, version, metadata) =>
            commands.ChangeExpiryAsync(caller, id, request.ExpiresAt?.UtcDateTime, version, metadata, ct));

    /// <summary>Shared shape of the single-setting updates: honour If-Match, run the command, answer the updated key.</summary>
    private static async Task<IResult> Update(
        Guid id, HttpContext http, ApiKeyReadModel apiKeys, TimeProvider time, CancellationToken ct,
        Func<Caller, long?, Infrastructure.EventSourcing.EventMetadata, Task> command)
    {
        if (!IfMatch.TryGetVersion(http.Request, out var expectedVersion)) return IfMatch.InvalidHeader();
        var caller = http.Caller();
        await command(caller, expectedVersion, caller.Metadata(http.TraceIdentifier));
        var row = await apiKeys.FindAsync(caller.OrganizationId, id, ct) ?? throw new ResourceNotFoundException("API key", id);
        http.Response.Headers.ETag = IfMatch.ETag(row.Version);
        return TypedResults.Ok(ApiKeyResponse.From(row, time.GetUtcNow().UtcDateTime));
    }
}
