using Microsoft.AspNetCore.Http;

namespace Requesty.ServiceDefaults;

public static class BearerToken
{
    /// <summary>The token of an "Authorization: Bearer &lt;token&gt;" header; null when absent or empty.</summary>
    public static string? From(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) return null;
        var token = header[scheme.Length..].Trim();
        return token.Length == 0 ? null : token;
    }
}
