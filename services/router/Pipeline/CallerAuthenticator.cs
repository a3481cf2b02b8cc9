using Requesty.Contracts.Keys;
using Requesty.Router.Keys;

namespace Requesty.Router.Pipeline;

/// <summary>
/// First stage of every request: reads the key from `Authorization: Bearer` or `x-api-key`
/// (Anthropic clients use either), hashes it and resolves the caller.
/// </summary>
public sealed class CallerAuthenticator(KeyResolver resolver, TimeProvider time)
{
    public const string ChatPermission = "chat";

    public async ValueTask<AuthenticationResult> AuthenticateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var presented = ReadKey(request);
        if (presented.IsEmpty)
            return AuthenticationResult.Fail(401, "missing_api_key", "No API key provided. Send it as 'Authorization: Bearer <key>' or 'x-api-key: <key>'.");

        var context = await resolver.ResolveAsync(KeyHasher.Hash(presented), cancellationToken);
        if (context is null)
            return AuthenticationResult.Fail(401, "invalid_api_key", "Invalid API key.");
        if (context.ExpiresAt is { } expires && expires <= time.GetUtcNow().UtcDateTime)
            return AuthenticationResult.Fail(401, "expired_api_key", "This API key has expired.");
        if (!context.Permissions.Contains(ChatPermission))
            return AuthenticationResult.Fail(403, "permission_denied", "This API key lacks the 'chat' permission.");
        return AuthenticationResult.Success(context);
    }

    private static ReadOnlySpan<char> ReadKey(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return authorization.AsSpan(7).Trim();
        return request.Headers["x-api-key"].ToString().AsSpan().Trim();
    }
}

public readonly record struct AuthenticationResult(ApiKeyContext? Caller, int Status, string? Code, string? Message)
{
    public static AuthenticationResult Success(ApiKeyContext caller) => new(caller, 200, null, null);

    public static AuthenticationResult Fail(int status, string code, string message) => new(null, status, code, message);
}
