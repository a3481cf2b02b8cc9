using Requesty.Analytics.Application.Queries.Common;
using Requesty.Analytics.Infrastructure.ClickHouse;
using Requesty.Contracts.Keys;

namespace Requesty.Analytics.Application.Access;

/// <summary>
/// Who is asking: a service holding the internal token (any organisation, named by org_id), or a
/// gateway API key with manage_read. Admin keys see their organisation; member keys only the rows of
/// their own user (or of the key itself when it has no user).
/// </summary>
public sealed record AnalyticsCaller
{
    private const string ItemKey = "requesty.analytics.caller";

    public static readonly AnalyticsCaller Service = new() { IsService = true };

    public bool IsService { get; private init; }

    /// <summary>The key's organisation (empty for service callers, who name it with org_id).</summary>
    public Guid OrganizationId { get; private init; }

    public Guid ApiKeyId { get; private init; }

    public Guid? UserId { get; private init; }

    public bool IsAdmin { get; private init; }

    public static AnalyticsCaller FromKey(ApiKeyContext key) => new()
    {
        OrganizationId = key.OrganizationId,
        ApiKeyId = key.ApiKeyId,
        UserId = key.UserId,
        IsAdmin = string.Equals(key.Role, ApiKeyRoles.Admin, StringComparison.Ordinal),
    };

    /// <summary>Which rows of the organisation this caller may read (every query's WHERE clause includes it).</summary>
    public RowAccess Access => IsService || IsAdmin
        ? RowAccess.WholeOrganization
        : UserId is { } user ? RowAccess.OfUser(user) : RowAccess.OfApiKey(ApiKeyId);

    /// <summary>
    /// Service callers must name the organisation (org_id); API-key callers read their key's organisation
    /// (the authentication filter refuses another org_id in the query string; bodies are checked by the API).
    /// </summary>
    public Guid ResolveOrganization(string? value, ValidationErrors errors, string field = "org_id") =>
        IsService || !string.IsNullOrWhiteSpace(value) ? errors.ParseOrganization(value, field) : OrganizationId;

    /// <summary>False when an API-key caller names another organisation.</summary>
    public bool MayRead(Guid organizationId) => IsService || organizationId == OrganizationId;

    public void AttachTo(HttpContext context) => context.Items[ItemKey] = this;

    /// <summary>The caller the authentication filter attached; every analytics route has one.</summary>
    public static AnalyticsCaller Of(HttpContext context) =>
        context.Items.TryGetValue(ItemKey, out var value) && value is AnalyticsCaller caller
            ? caller
            : throw new InvalidOperationException("The request was not authenticated by the analytics caller filter.");
}

/// <summary>A restriction on the rows of one organisation: none, one user's rows, or one API key's rows.</summary>
public sealed record RowAccess
{
    public static readonly RowAccess WholeOrganization = new();

    public Guid? UserId { get; private init; }

    public Guid? ApiKeyId { get; private init; }

    public static RowAccess OfUser(Guid userId) => new() { UserId = userId };

    public static RowAccess OfApiKey(Guid apiKeyId) => new() { ApiKeyId = apiKeyId };

    /// <summary>The SQL condition for a table with user_id and api_key_id columns; null for the whole organisation.</summary>
    public string? Condition =>
        UserId is { } user ? $"user_id = {SqlLiteral.Uuid(user)}"
        : ApiKeyId is { } key ? $"api_key_id = {SqlLiteral.Uuid(key)}"
        : null;

    /// <summary>" AND condition" or "" (for hand-written queries).</summary>
    public string AndCondition => Condition is { } c ? $" AND {c}" : "";
}
