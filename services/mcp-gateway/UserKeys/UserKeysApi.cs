using Microsoft.AspNetCore.Mvc;
using Requesty.McpGateway.Audit;
using Requesty.McpGateway.Auth;
using Requesty.McpGateway.Servers;
using Requesty.McpGateway.Upstream;

namespace Requesty.McpGateway.UserKeys;

public sealed record UserKeysRequest(Dictionary<string, string?>? Headers, Dictionary<string, string?>? Variables);

/// <summary>
/// configured: every template variable of the server has a value; missing: some are still needed;
/// invalid: the upstream refused the credentials (401/403) when they were last tested.
/// </summary>
public sealed record UserKeyStatus(
    Guid ServerId, Guid UserId, string Status, IReadOnlyList<string> HeaderNames, IReadOnlyList<string> VariableNames,
    IReadOnlyList<string> MissingVariables, DateTime? UpdatedAt, string? Rejection = null);

/// <summary>
/// Per-user credentials: PUT/GET/DELETE /v1/mcp/servers/{id}/user-keys/me for the caller's own values
/// (any user of the organization, when the server allows user keys), GET /v1/mcp/servers/{id}/user-keys
/// for admins (status of every user who stored values). Values are never returned.
/// </summary>
public static class UserKeysApi
{
    public const string ConfiguredStatus = "configured";
    public const string MissingStatus = "missing";
    public const string InvalidStatus = "invalid";

    public static IEndpointRouteBuilder MapUserKeysApi(this IEndpointRouteBuilder app)
    {
        var keys = app.MapGroup("/v1/mcp/servers/{id:guid}/user-keys")
            .WithTags("MCP user keys")
            .RequireRegistryCaller()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        keys.MapGet("", ListAsync).WithName("ListMcpUserKeyStatus").WithSummary("Key status of every user who stored values (admins).")
            .Produces<List<UserKeyStatus>>();
        keys.MapGet("/me", GetOwnAsync).WithName("GetMyMcpUserKeys").Produces<UserKeyStatus>();
        keys.MapPut("/me", PutOwnAsync).WithName("SetMyMcpUserKeys")
            .WithSummary("Stores the caller's own header values and template variables (encrypted).")
            .Produces<UserKeyStatus>().ProducesValidationProblem();
        // The short form: PUT /v1/mcp/servers/{id}/user-keys sets the caller's own values.
        keys.MapPut("", PutOwnAsync).WithName("SetMyMcpUserKeysShort").Produces<UserKeyStatus>().ProducesValidationProblem();
        keys.MapDelete("/me", DeleteOwnAsync).WithName("DeleteMyMcpUserKeys").Produces(StatusCodes.Status204NoContent);
        return app;
    }

    private static async Task<IResult> ListAsync(Guid id, HttpContext http, McpServerStore servers, UserKeyStore keys, CancellationToken ct)
    {
        var caller = RegistryCaller.From(http);
        if (!caller.CanRead) return Forbidden("Listing key status needs manage_read or manage_write.");
        if (await servers.FindAsync(caller.OrganizationId, id, ct) is not { } server) return NotFound(id);
        var records = await keys.ListAsync(server.Id, ct);
        return TypedResults.Ok(records.Select(r => ToStatus(server, r.UserId, r.HeaderNames, r.VariableNames, r.UpdatedAt, r.Rejection)).ToList());
    }

    private static async Task<IResult> GetOwnAsync(Guid id, HttpContext http, McpServerStore servers, UserKeyStore keys, CancellationToken ct)
    {
        var caller = RegistryCaller.From(http);
        if (caller.UserId is not { } user) return NoUser();
        if (await servers.FindAsync(caller.OrganizationId, id, ct) is not { } server) return NotFound(id);
        var own = (await keys.ListAsync(server.Id, ct)).FirstOrDefault(r => r.UserId == user);
        return TypedResults.Ok(ToStatus(server, user, own?.HeaderNames ?? [], own?.VariableNames ?? [], own?.UpdatedAt, own?.Rejection));
    }

    private static async Task<IResult> PutOwnAsync(
        Guid id, HttpContext http, [FromBody] UserKeysRequest? request, McpServerStore servers, UserKeyStore keys, AuditLog audit,
        UserKeyVerifier verifier, CancellationToken ct)
    {
        var caller = RegistryCaller.From(http);
        if (caller.UserId is not { } user) return NoUser();
        if (await servers.FindAsync(caller.OrganizationId, id, ct) is not { } server) return NotFound(id);
        if (!server.AllowUserKeys) return Forbidden($"MCP server '{server.Name}' does not allow user keys; an admin configures its credentials.");

        var errors = new Dictionary<string, string[]>();
        var headers = ValidateMap(request?.Headers, "headers", errors, header: true);
        var variables = ValidateMap(request?.Variables, "variables", errors, header: false);
        if (headers.Count + variables.Count == 0 && errors.Count == 0) errors["headers"] = ["Provide at least one header or variable value."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var record = await keys.UpsertAsync(caller.OrganizationId, server.Id, user, new UserKeyValues(headers, variables), ct);
        await audit.RecordAsync(caller, "user_keys.set", server.Id, new { header_names = record.HeaderNames, variable_names = record.VariableNames }, ct);
        var status = ToStatus(server, user, record.HeaderNames, record.VariableNames, record.UpdatedAt);
        if (status.Status == ConfiguredStatus && await verifier.FindRejectionAsync(server, user, ct) is { } rejection)
        {
            await keys.MarkRejectedAsync(server.Id, user, rejection, ct);
            status = status with { Status = InvalidStatus, Rejection = rejection };
        }
        return TypedResults.Ok(status);
    }

    private static async Task<IResult> DeleteOwnAsync(
        Guid id, HttpContext http, McpServerStore servers, UserKeyStore keys, AuditLog audit, CancellationToken ct)
    {
        var caller = RegistryCaller.From(http);
        if (caller.UserId is not { } user) return NoUser();
        if (await servers.FindAsync(caller.OrganizationId, id, ct) is not { } server) return NotFound(id);
        if (await keys.DeleteAsync(server.Id, user, ct)) await audit.RecordAsync(caller, "user_keys.deleted", server.Id, new { }, ct);
        return TypedResults.NoContent();
    }

    private static Dictionary<string, string> ValidateMap(Dictionary<string, string?>? given, string field, Dictionary<string, string[]> errors, bool header)
    {
        var values = new Dictionary<string, string>(header ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        foreach (var (name, value) in given ?? [])
        {
            var key = $"{field}.{name}";
            if (name.Length is 0 or > 128 || name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))) errors[key] = ["Not a valid name."];
            else if (string.IsNullOrEmpty(value) || value.Length > 8192 || value.Any(c => c is '\r' or '\n' or '\0'))
                errors[key] = ["The value must be 1-8192 characters without line breaks."];
            else if (!values.TryAdd(name, value)) errors[key] = ["Duplicate name."];
        }
        return values;
    }

    private static UserKeyStatus ToStatus(
        McpServerRecord server, Guid user, IReadOnlyList<string> headerNames, IReadOnlyList<string> variableNames, DateTime? updatedAt,
        string? rejection = null)
    {
        if (rejection is not null && updatedAt is not null)
            return new UserKeyStatus(server.Id, user, InvalidStatus, headerNames, variableNames, [], updatedAt, rejection);
        // Header templates are only known by name here; a value the user overrides needs no variable.
        var missing = server.TemplateVariables.Where(v => !variableNames.Contains(v, StringComparer.Ordinal)).ToList();
        if (server.TemplateHeaders.All(h => headerNames.Contains(h, StringComparer.OrdinalIgnoreCase))) missing = [];
        return new UserKeyStatus(server.Id, user, missing.Count == 0 && updatedAt is not null ? ConfiguredStatus : MissingStatus,
            headerNames, variableNames, missing, updatedAt);
    }

    private static IResult NoUser() =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]>
        {
            ["user_id"] = ["User keys belong to a user: call with a user's API key (or the internal token and ?user_id=)."],
        });

    private static IResult Forbidden(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: detail);

    private static IResult NotFound(Guid id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"No MCP server {id} in this organization.");
}
