using System.Text.Json;

namespace Requesty.Router.Providers.Vertex;

/// <summary>
/// The access token for Vertex calls: a signed assertion exchanged at the account's token URI
/// (grant_type urn:ietf:params:oauth:grant-type:jwt-bearer), reused until five minutes before it expires and
/// refreshed by one caller at a time while the others wait for it.
/// </summary>
public sealed class VertexAccessTokens(VertexOptions options, IHttpClientFactory httpClients, TimeProvider time)
{
    public const string HttpClientName = "provider-vertex-oauth";
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private (string Token, DateTimeOffset RefreshAt)? _current;

    public async ValueTask<string> GetAsync(CancellationToken cancellationToken)
    {
        if (_current is { } cached && time.GetUtcNow() < cached.RefreshAt) return cached.Token;
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (_current is { } fresh && time.GetUtcNow() < fresh.RefreshAt) return fresh.Token;
            var (token, expiresIn) = await RequestAsync(cancellationToken);
            _current = (token, time.GetUtcNow() + expiresIn - RefreshMargin);
            return token;
        }
        finally
        {
            _refresh.Release();
        }
    }

    private async Task<(string Token, TimeSpan ExpiresIn)> RequestAsync(CancellationToken cancellationToken)
    {
        var account = options.Account ?? throw new InvalidOperationException("Vertex has no service account configured.");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "urn:ietf:params:oauth:grant-type:jwt-bearer",
            ["assertion"] = VertexJwt.CreateAssertion(account, time.GetUtcNow()),
        });
        using var response = await httpClients.CreateClient(HttpClientName).PostAsync(account.TokenUri, form, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"vertex: the token endpoint refused the service account ({(int)response.StatusCode}: {Describe(text)}).");
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            var token = root.GetProperty("access_token").GetString() ?? throw new JsonException("access_token is null");
            var seconds = root.TryGetProperty("expires_in", out var expires) && expires.TryGetInt32(out var s) ? s : 3600;
            return (token, TimeSpan.FromSeconds(Math.Max(seconds, 1)));
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new HttpRequestException("vertex: the token endpoint's answer has no access_token.", ex);
        }
    }

    /// <summary>Google's OAuth error text (never the assertion, which is a credential).</summary>
    private static string Describe(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var error = root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
            var description = root.TryGetProperty("error_description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
            return string.Join(": ", new[] { error, description }.Where(s => !string.IsNullOrEmpty(s)));
        }
        catch (JsonException)
        {
            return "no JSON error";
        }
    }
}
