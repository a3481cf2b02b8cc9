using System.Text.RegularExpressions;

namespace Requesty.McpGateway.Servers;

public sealed record ServerRequest(
    string? Name,
    string? Url,
    string? Type,
    Dictionary<string, string?>? Headers,
    bool? AllowUserKeys,
    bool? Enabled);

public sealed record EnabledToolsRequest(List<string?>? Enabled);

/// <summary>Field-level checks for the registry's request bodies (RFC 7807 "errors" keys are the JSON names).</summary>
public static partial class ServerRequestValidation
{
    public const int MaxHeaders = 32;

    // Headers the transport owns; letting an admin set them would break or hijack the MCP session.
    private static readonly HashSet<string> ReservedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Content-Type", "Content-Length", "Accept", "Connection", "Transfer-Encoding",
        "Mcp-Session-Id", "Mcp-Protocol-Version", "Last-Event-ID",
    };

    // Tool names are exposed as "<server>__<tool>", so a server name must not contain "__".
    [GeneratedRegex("^[A-Za-z0-9](?:[A-Za-z0-9-]|_(?!_)){0,62}[A-Za-z0-9]?$")]
    private static partial Regex ServerName();

    [GeneratedRegex("^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$")]
    private static partial Regex HeaderName();

    public static McpServerChanges? Validate(ServerRequest? request, bool isCreate, out Dictionary<string, string[]> errors)
    {
        errors = [];
        if (request is null)
        {
            errors["body"] = ["A JSON body is required."];
            return null;
        }

        if (string.IsNullOrWhiteSpace(request.Name))
            errors["name"] = ["name is required."];
        else if (!ServerName().IsMatch(request.Name) || request.Name.EndsWith('_'))
            errors["name"] = ["name must be 1-64 letters, digits, '-' or single '_' (no \"__\"), starting and ending with a letter or digit."];

        if (string.IsNullOrWhiteSpace(request.Url))
            errors["url"] = ["url is required."];
        else if (!Uri.TryCreate(request.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            errors["url"] = ["url must be an absolute http or https URL."];
        else if (!string.IsNullOrEmpty(url.UserInfo))
            errors["url"] = ["url must not contain credentials; use headers."];

        var type = request.Type ?? McpTransports.StreamableHttp;
        if (type != McpTransports.StreamableHttp && type != McpTransports.Sse)
            errors["type"] = [$"type must be '{McpTransports.StreamableHttp}' or '{McpTransports.Sse}'."];

        Dictionary<string, string>? headers = null;
        if (request.Headers is { } given)
        {
            headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (given.Count > MaxHeaders) errors["headers"] = [$"At most {MaxHeaders} headers."];
            foreach (var (name, value) in given)
            {
                var field = $"headers.{name}";
                if (!HeaderName().IsMatch(name)) errors[field] = ["Not a valid HTTP header name."];
                else if (ReservedHeaders.Contains(name)) errors[field] = ["This header is set by the MCP transport and cannot be configured."];
                else if (string.IsNullOrEmpty(value)) errors[field] = ["A header value is required."];
                else if (value.Length > 8192 || value.Any(c => c is '\r' or '\n' or '\0')) errors[field] = ["The value must be at most 8192 characters without line breaks."];
                else if (!headers.TryAdd(name, value)) errors[field] = ["Duplicate header name (names are case-insensitive)."];
            }
        }
        else if (isCreate)
        {
            headers = new Dictionary<string, string>();
        }

        if (errors.Count > 0) return null;
        return new McpServerChanges(request.Name!, request.Url!, type, request.Enabled ?? true, request.AllowUserKeys ?? false, headers);
    }

    public static IReadOnlyList<string>? ValidateTools(EnabledToolsRequest? request, out Dictionary<string, string[]> errors)
    {
        errors = [];
        if (request?.Enabled is not { } names)
        {
            errors["enabled"] = ["enabled is required: the list of upstream tool names to expose (may be empty)."];
            return null;
        }
        var messages = new List<string>();
        if (names.Count > 1000) messages.Add("At most 1000 tools.");
        if (names.Any(n => string.IsNullOrWhiteSpace(n) || n.Length > 128))
            messages.Add("Tool names must be non-empty and at most 128 characters.");
        if (messages.Count > 0)
        {
            errors["enabled"] = [.. messages];
            return null;
        }
        return names.Select(n => n!).Distinct(StringComparer.Ordinal).ToList();
    }
}
