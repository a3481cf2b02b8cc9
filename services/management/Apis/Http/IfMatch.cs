using Microsoft.Net.Http.Headers;

namespace Requesty.Management.Apis.Http;

/// <summary>
/// Optimistic concurrency for clients: GET answers ETag "{version}", writes accept If-Match with that
/// value and fail with 409 when the resource has moved on.
/// </summary>
public static class IfMatch
{
    /// <summary>False when the header is present but not a version we issued.</summary>
    public static bool TryGetVersion(HttpRequest request, out long? version)
    {
        version = null;
        var header = request.Headers.IfMatch.ToString();
        if (string.IsNullOrWhiteSpace(header) || header.Trim() == "*") return true;
        if (!EntityTagHeaderValue.TryParse(header.Trim(), out var tag) && !EntityTagHeaderValue.TryParse($"\"{header.Trim()}\"", out tag))
            return false;
        if (!long.TryParse(tag.Tag.AsSpan().Trim('"'), out var parsed)) return false;
        version = parsed;
        return true;
    }

    public static string ETag(long version) => $"\"{version}\"";

    public static IResult InvalidHeader() => Results.ValidationProblem(
        new Dictionary<string, string[]> { ["If-Match"] = ["If-Match must be the ETag (version) returned by GET, e.g. \"3\"."] });
}
