using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Requesty.Router.Providers.Bedrock;

/// <summary>AWS credentials for Signature Version 4 (a session token when they are temporary).</summary>
public sealed record AwsCredentials(string AccessKeyId, string SecretAccessKey, string? SessionToken = null);

/// <summary>
/// AWS Signature Version 4 (HMAC-SHA256) for one request, as in AWS's "Create a signed AWS API request":
/// canonical request -> string to sign -> signing key derived from date/region/service -> signature.
/// </summary>
public static class AwsSigV4Signer
{
    private const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>Adds x-amz-date (and x-amz-security-token) and the Authorization header to the request.</summary>
    public static void Sign(HttpRequestMessage request, ReadOnlySpan<byte> payload, AwsCredentials credentials, string region, string service, DateTimeOffset now)
    {
        var amzDate = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        request.Headers.Remove("x-amz-date");
        request.Headers.TryAddWithoutValidation("x-amz-date", amzDate);
        if (!string.IsNullOrEmpty(credentials.SessionToken))
        {
            request.Headers.Remove("x-amz-security-token");
            request.Headers.TryAddWithoutValidation("x-amz-security-token", credentials.SessionToken);
        }

        var uri = request.RequestUri!;
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["host"] = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}" };
        foreach (var (name, values) in request.Headers) AddHeader(headers, name, values);
        if (request.Content is not null)
        {
            foreach (var (name, values) in request.Content.Headers) AddHeader(headers, name, values);
        }

        request.Headers.Authorization = null;
        request.Headers.TryAddWithoutValidation("Authorization",
            Authorization(request.Method.Method, uri, headers, Hex(SHA256.HashData(payload)), credentials, region, service, amzDate));
    }

    /// <summary>The Authorization header value for a request whose signed headers (lower-case names) are given.</summary>
    public static string Authorization(string method, Uri uri, IReadOnlyDictionary<string, string> headers, string payloadSha256,
        AwsCredentials credentials, string region, string service, string amzDate)
    {
        var sorted = headers.OrderBy(h => h.Key, StringComparer.Ordinal).ToList();
        var signedHeaders = string.Join(';', sorted.Select(h => h.Key));
        var canonicalRequest = string.Join('\n',
            method,
            CanonicalPath(uri.AbsolutePath),
            CanonicalQuery(uri.Query),
            string.Concat(sorted.Select(h => $"{h.Key}:{h.Value}\n")),
            signedHeaders,
            payloadSha256);

        var date = amzDate[..8];
        var scope = $"{date}/{region}/{service}/aws4_request";
        var stringToSign = $"{Algorithm}\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";

        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + credentials.SecretAccessKey), date);
        key = Hmac(key, region);
        key = Hmac(key, service);
        key = Hmac(key, "aws4_request");
        var signature = Hex(Hmac(key, stringToSign));
        return $"{Algorithm} Credential={credentials.AccessKeyId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}";
    }

    /// <summary>Every path segment URI-encoded again (AWS services other than S3 sign the already-encoded path).</summary>
    public static string CanonicalPath(string absolutePath)
    {
        if (absolutePath.Length == 0) return "/";
        return string.Join('/', absolutePath.Split('/').Select(Encode));
    }

    private static string CanonicalQuery(string query)
    {
        if (query.Length <= 1) return "";
        var pairs = query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries).Select(pair =>
        {
            var equals = pair.IndexOf('=');
            var name = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..]);
            return (Name: Encode(name), Value: Encode(value));
        });
        return string.Join('&', pairs.OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal).Select(p => $"{p.Name}={p.Value}"));
    }

    private static void AddHeader(SortedDictionary<string, string> headers, string name, IEnumerable<string> values)
    {
        var lower = name.ToLowerInvariant();
        if (lower is "authorization" or "user-agent" or "content-length") return;
        headers[lower] = string.Join(',', values.Select(v => string.Join(' ', v.Split(' ', StringSplitOptions.RemoveEmptyEntries))));
    }

    /// <summary>RFC 3986 encoding: everything but unreserved characters as %XX (upper-case hex).</summary>
    private static string Encode(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~') builder.Append(c);
            else builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return builder.ToString();
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    public static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
