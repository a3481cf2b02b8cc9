using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Requesty.McpGateway.Upstream;
using Requesty.McpGateway.Audit;
using Requesty.McpGateway.Auth;
using Requesty.McpGateway.Security;

namespace Requesty.McpGateway.Servers;

/// <summary>
/// The registry of upstream MCP servers: /v1/mcp/servers, for the internal token (?org_id=) or an
/// admin's own API key (<see cref="RegistryCallerFilter"/>). Header values are never echoed.
/// </summary>
public static class ServersApi
{
    public const string Configured = "configured";

    public static IEndpointRouteBuilder MapServersApi(this IEndpointRouteBuilder app)
    {
        var servers = app.MapGroup("/v1/mcp/servers")
            .WithTags("MCP servers")
            .RequireRegistryCaller()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesValidationProblem();

        servers.MapGet("", ListAsync).WithName("ListMcpServers").WithSummary("The organization's registered MCP servers.")
            .Produces<List<ServerResponse>>();
        servers.MapPost("", CreateAsync).WithName("CreateMcpServer").WithSummary("Registers an MCP server (name unique in the organization).")
            .Produces<ServerResponse>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status409Conflict);
        servers.MapGet("/{id:guid}", GetAsync).WithName("GetMcpServer")
            .Produces<ServerResponse>().ProducesProblem(StatusCodes.Status404NotFound);
        servers.MapPut("/{id:guid}", UpdateAsync).WithName("UpdateMcpServer")
            .WithSummary("Replaces the server's settings; omit headers to keep the stored ones.")
            .Produces<ServerResponse>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        servers.MapDelete("/{id:guid}", DeleteAsync).WithName("DeleteMcpServer")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);
        servers.MapGet("/{id:guid}/explore", ExploreAsync).WithName("ExploreMcpServer")
            .WithSummary("Connects to the server with its configured headers and lists its tools.")
            .Produces<ExploreResponse>().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status502BadGateway);
        servers.MapPut("/{id:guid}/tools", SetToolsAsync).WithName("SetMcpServerTools")
            .WithSummary("Selects which upstream tools the gateway exposes.")
            .Produces<ServerResponse>().ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext http, McpServerStore store, CancellationToken ct)
    {
        if (Authorize(http, write: false) is not { } org) return Forbidden();
        var servers = await store.ListAsync(org, enabledOnly: false, ct);
        return TypedResults.Ok(servers.Select(ToResponse).ToList());
    }

    private static async Task<IResult> GetAsync(Guid id, HttpContext http, McpServerStore store, CancellationToken ct)
    {
        if (Authorize(http, write: false) is not { } org) return Forbidden();
        return await store.FindAsync(org, id, ct) is { } server ? TypedResults.Ok(ToResponse(server)) : NotFound(id);
    }

    private static async Task<IResult> CreateAsync(
        HttpContext http, [FromBody] ServerRequest? request, McpServerStore store, AuditLog audit, UpstreamUrlPolicy urlPolicy, CancellationToken ct)
    {
        if (Authorize(http, write: true) is not { } org) return Forbidden();
        if (ServerRequestValidation.Validate(request, isCreate: true, out var errors) is not { } changes) return TypedResults.ValidationProblem(errors);
        if (await urlPolicy.CheckAsync(new Uri(changes.Url), ct) is { } urlError) return UrlRefused(urlError);

        var (outcome, server) = await store.CreateAsync(org, changes, ct);
        if (outcome == ServerWriteOutcome.NameTaken) return NameTaken(changes.Name);
        await audit.RecordAsync(RegistryCaller.From(http), "server.created", server!.Id, Describe(changes), ct);
        return TypedResults.Created($"/v1/mcp/servers/{server.Id}", ToResponse(server));
    }

    private static async Task<IResult> UpdateAsync(
        Guid id, HttpContext http, [FromBody] ServerRequest? request, McpServerStore store, AuditLog audit, UpstreamUrlPolicy urlPolicy,
        UpstreamSessionPool sessions, CancellationToken ct)
    {
        if (Authorize(http, write: true) is not { } org) return Forbidden();
        if (ServerRequestValidation.Validate(request, isCreate: false, out var errors) is not { } changes) return TypedResults.ValidationProblem(errors);
        if (await urlPolicy.CheckAsync(new Uri(changes.Url), ct) is { } urlError) return UrlRefused(urlError);

        var (outcome, server) = await store.UpdateAsync(org, id, changes, ct);
        if (outcome != ServerWriteOutcome.Saved) return outcome == ServerWriteOutcome.NotFound ? NotFound(id) : NameTaken(changes.Name);
        sessions.EvictServer(id);
        await audit.RecordAsync(RegistryCaller.From(http), "server.updated", id, Describe(changes), ct);
        return TypedResults.Ok(ToResponse(server!));
    }

    private static async Task<IResult> DeleteAsync(
        Guid id, HttpContext http, McpServerStore store, AuditLog audit, UpstreamSessionPool sessions, CancellationToken ct)
    {
        if (Authorize(http, write: true) is not { } org) return Forbidden();
        if (!await store.DeleteAsync(org, id, ct)) return NotFound(id);
        sessions.EvictServer(id);
        await audit.RecordAsync(RegistryCaller.From(http), "server.deleted", id, new { }, ct);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> SetToolsAsync(
        Guid id, HttpContext http, [FromBody] EnabledToolsRequest? request, McpServerStore store, AuditLog audit, CancellationToken ct)
    {
        if (Authorize(http, write: true) is not { } org) return Forbidden();
        if (ServerRequestValidation.ValidateTools(request, out var errors) is not { } tools) return TypedResults.ValidationProblem(errors);
        if (await store.SetEnabledToolsAsync(org, id, tools, ct) is not { } server) return NotFound(id);
        await audit.RecordAsync(RegistryCaller.From(http), "server.tools_enabled", id, new { enabled = tools }, ct);
        return TypedResults.Ok(ToResponse(server));
    }

    private static async Task<IResult> ExploreAsync(
        Guid id, HttpContext http, McpServerStore store, UpstreamCredentials upstreamCredentials, UpstreamConnector connector, CancellationToken ct)
    {
        if (Authorize(http, write: false) is not { } org) return Forbidden();
        if (await store.FindAsync(org, id, ct) is not { } server) return NotFound(id);

        try
        {
            var credentials = await upstreamCredentials.ResolveAsync(server, RegistryCaller.From(http).UserId, ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(UpstreamConnector.ListTimeout);
            await using var client = await connector.ConnectAsync(server, credentials.Headers, timeout.Token);
            var tools = await client.ListToolsAsync(cancellationToken: timeout.Token);
            var enabled = server.EnabledTools.ToHashSet(StringComparer.Ordinal);
            return TypedResults.Ok(new ExploreResponse(server.Id, server.Name, tools
                .Select(t => new ExploredTool(t.Name, t.ProtocolTool.Title, t.Description, t.ProtocolTool.InputSchema, enabled.Contains(t.Name)))
                .ToList()));
        }
        catch (MissingUserKeyException e)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Headers need values", detail: e.Message);
        }
        catch (UpstreamUnavailableException e)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status502BadGateway, title: "MCP server unreachable", detail: e.Message);
        }
        catch (Exception e) when (e is ModelContextProtocol.McpException or HttpRequestException or IOException
                                  || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status502BadGateway, title: "MCP server failed",
                detail: $"MCP server '{server.Name}' could not list its tools: {(e is OperationCanceledException ? "timed out" : e.Message)}");
        }
    }

    /// <summary>What an audit entry may show about a change: settings and header names, never header values.</summary>
    private static object Describe(McpServerChanges changes) => new
    {
        name = changes.Name,
        url = changes.Url,
        type = changes.Transport,
        enabled = changes.Enabled,
        allow_user_keys = changes.AllowUserKeys,
        header_names = changes.Headers?.Keys.Order(StringComparer.OrdinalIgnoreCase).ToList(),
    };

    public static ServerResponse ToResponse(McpServerRecord server) => new(
        server.Id, server.OrganizationId, server.Name, server.Url, server.Transport, server.Enabled, server.AllowUserKeys,
        server.HeaderNames.ToDictionary(name => name, _ => Configured), server.TemplateVariables, server.EnabledTools,
        server.CreatedAt, server.UpdatedAt);

    /// <returns>The caller's organization when they hold the needed right, else null.</returns>
    private static Guid? Authorize(HttpContext http, bool write)
    {
        var caller = RegistryCaller.From(http);
        return (write ? caller.CanWrite : caller.CanRead) ? caller.OrganizationId : null;
    }

    private static IResult Forbidden() =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
            detail: "Reading MCP servers needs manage_read or manage_write; changing them needs an admin key with manage_write.");

    private static IResult UrlRefused(string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["url"] = [message] }, title: "The server URL is not allowed");

    private static IResult NotFound(Guid id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"No MCP server {id} in this organization.");

    private static IResult NameTaken(string name) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Name taken",
            detail: $"The organization already has an MCP server named '{name}'.",
            extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["name"] = ["Already used in this organization."] } });
}

public sealed record ServerResponse(
    Guid Id,
    Guid OrgId,
    string Name,
    string Url,
    string Type,
    bool Enabled,
    bool AllowUserKeys,
    IReadOnlyDictionary<string, string> Headers,
    IReadOnlyList<string> TemplateVariables,
    IReadOnlyList<string> EnabledTools,
    DateTime CreatedAt,
    DateTime UpdatedAt);

public sealed record ExploreResponse(Guid ServerId, string ServerName, IReadOnlyList<ExploredTool> Tools);

public sealed record ExploredTool(string Name, string? Title, string? Description, JsonElement InputSchema, bool Enabled);
