using Requesty.McpGateway.Servers;
using Requesty.McpGateway.UserKeys;

namespace Requesty.McpGateway.Upstream;

/// <summary>Headers for one upstream connection and a cache scope naming whose credentials they are.</summary>
public sealed record ResolvedCredentials(IReadOnlyDictionary<string, string> Headers, string Scope);

/// <summary>
/// The headers a call to a server sends: the organization's, with the user's own header values on
/// top where the server allows user keys, and {{VARIABLE}} templates filled from the user's variables.
/// </summary>
public sealed class UpstreamCredentials(McpServerStore servers, UserKeyStore userKeys)
{
    /// <exception cref="MissingUserKeyException">A template variable has no value.</exception>
    public async Task<ResolvedCredentials> ResolveAsync(McpServerRecord server, Guid? userId, CancellationToken cancellationToken)
    {
        var headers = new Dictionary<string, string>(servers.OpenHeaders(server), StringComparer.OrdinalIgnoreCase);
        IReadOnlyDictionary<string, string> variables = new Dictionary<string, string>();
        var scope = "org";
        if (server.AllowUserKeys && userId is { } user && await userKeys.OpenAsync(server.Id, user, cancellationToken) is { } own)
        {
            foreach (var (name, value) in own.Values.Headers) headers[name] = value;
            variables = own.Values.Variables;
            scope = $"user:{user}:{own.UpdatedAt.Ticks}";
        }
        return new ResolvedCredentials(HeaderTemplates.Resolve(server.Name, headers, variables), scope);
    }
}
