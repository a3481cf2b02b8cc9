using Requesty.Management.Apis.Http;
using Requesty.Management.Apis.Security;
using Requesty.Management.Application;
using Requesty.Management.Application.ApiKeys;
using Requesty.Management.Application.Spend;
using Requesty.Management.Infrastructure.ReadModels;

namespace Requesty.Management.Apis;

/// <summary>/v1/manage/apikey: create, list, inspect, limit, label, expire and delete the organisation's API keys.</summary>
public static class ApiKeysApi
{
    public static RouteGroupBuilder MapApiKeysApi(this RouteGroupBuilder manage)
    {
        var keys = manage.MapGroup("/apikey").WithTags("API keys");

        keys.MapGet("", List).Produces<ApiKeyListResponse>()
            .WithSummary("List API keys").WithDescription("Every live key of your organisation; secrets are never returned.");
        keys.MapPost("", Create).Produces<CreatedApiKeyResponse>(StatusCodes.Status201Created).ProducesValidationProblem()
            .AddEndpointFilter<ValidationFilter<CreateApiKeyRequest>>()
            .WithSummary("Create an API key").WithDescription("The key string is returned once, in this response only.");
        keys.MapGet("/{id:guid}", Get).Produces<ApiKeyDetailsResponse>().ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Get an API key").WithDescription("Details of a key and its spend this month (UTC). Answers an ETag for If-Match.");
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
        var rows = await apiKeys.ListAsync(http.Caller().OrganizationId, ct);
        return TypedResults.Ok(new ApiKeyListResponse(rows.Select(r => ApiKeyResponse.From(r, now)).ToArray()));
    }

    private static async Task<IResult> Create(
        CreateApiKeyRequest request, HttpContext http, ApiKeyCommands commands, ApiKeyReadModel apiKeys, TimeProvider time, CancellationToken ct)
    {
        var caller = http.Caller();
        var (id, key) = await commands.CreateAsync(caller, request, caller.Metadata(http.TraceIdentifier), ct);
        var row = await apiKeys.FindAsync(caller.OrganizationId, id, ct) ?? throw new ResourceNotFoundException("API key", id);
        http.Response.Headers.ETag = IfMatch.ETag(row.Version);
        return TypedResults.Created($"/v1/manage/apikey/{id}", CreatedApiKeyResponse.From(row, key, time.GetUtcNow().UtcDateTime));
    }

    private static async Task<IResult> Get(
        Guid id, HttpContext http, ApiKeyReadModel apiKeys, SpendLedger spend, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var row = await apiKeys.FindAsync(http.Caller().OrganizationId, id, ct) ?? throw new ResourceNotFoundException("API key", id);
        var spendThisMonth = await spend.MonthSpendAsync(id, now, ct);
        http.Response.Headers.ETag = IfMatch.ETag(row.Version);
        return TypedResults.Ok(ApiKeyDetailsResponse.From(row, spendThisMonth, now));
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
