using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Requesty.ProviderSimulator.Infrastructure;

namespace Requesty.ProviderSimulator.Vertex;

/// <summary>
/// POST /oauth2/token, Google's OAuth token endpoint for service accounts: a form post with
/// grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer and an RS256 JWT assertion (iss, scope, aud = this URL,
/// iat, exp at most an hour later). The signature is verified when Simulator:VertexPublicKeyPem is configured.
/// Answers {"access_token","expires_in","token_type":"Bearer"} or 400 {"error":"invalid_grant","error_description"}.
/// </summary>
public static class VertexTokenEndpoint
{
    public const string GrantType = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    public const string CloudPlatformScope = "https://www.googleapis.com/auth/cloud-platform";

    public static async Task HandleAsync(HttpContext context, VertexTokens tokens, IOptions<SimulatorOptions> options, TimeProvider time)
    {
        var form = QueryHelpers.ParseQuery(await context.ReadBodyTextAsync());
        if (form.GetValueOrDefault("grant_type").ToString() != GrantType)
        {
            await FailAsync(context, "unsupported_grant_type", "Invalid grant_type.");
            return;
        }
        var audience = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.Path}";
        if (Check(form.GetValueOrDefault("assertion").ToString(), audience, options.Value.VertexPublicKeyPem, time.GetUtcNow()) is { } problem)
        {
            await FailAsync(context, "invalid_grant", problem);
            return;
        }
        await context.Response.WriteJsonAsync(new JsonObject
        {
            ["access_token"] = tokens.Issue(),
            ["expires_in"] = (int)VertexTokens.Lifetime.TotalSeconds,
            ["token_type"] = "Bearer",
        });
    }

    /// <summary>What is wrong with the assertion; null when it is acceptable.</summary>
    public static string? Check(string assertion, string audience, string? publicKeyPem, DateTimeOffset now)
    {
        var parts = assertion.Split('.');
        if (parts.Length != 3) return "Invalid JWT: expected header.payload.signature.";
        JsonNode? header, claims;
        byte[] signature;
        try
        {
            header = JsonNode.Parse(Base64Url.DecodeFromChars(parts[0]));
            claims = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]));
            signature = Base64Url.DecodeFromChars(parts[2]);
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return "Invalid JWT: a part is not base64url JSON.";
        }
        if (header.Prop("alg").Str() != "RS256" || header.Prop("typ").Str() is not (null or "JWT")) return "Invalid JWT: alg must be RS256.";
        if (claims.Prop("iss").Str() is not { Length: > 0 }) return "Invalid JWT: iss is required.";
        if (claims.Prop("scope").Str() is not { } scope || !scope.Split(' ').Contains(CloudPlatformScope)) return "Invalid JWT: scope must include " + CloudPlatformScope + ".";
        if (claims.Prop("aud").Str() != audience) return $"Invalid JWT: aud must be {audience}.";
        if (claims.Prop("iat").Num() is not { } iat || claims.Prop("exp").Num() is not { } exp) return "Invalid JWT: iat and exp are required.";
        var nowSeconds = now.ToUnixTimeSeconds();
        if (iat > nowSeconds + 300) return "Invalid JWT: iat is in the future.";
        if (exp <= nowSeconds) return "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values.";
        if (exp - iat > 3600) return "Invalid JWT: Token must be a short-lived token (60 minutes).";
        if (publicKeyPem is { Length: > 0 })
        {
            using var rsa = RSA.Create();
            rsa.ImportFromPem(publicKeyPem);
            var signed = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
            if (!rsa.VerifyData(signed, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)) return "Invalid JWT Signature.";
        }
        return null;
    }

    private static Task FailAsync(HttpContext context, string error, string description) =>
        context.Response.WriteJsonAsync(new JsonObject { ["error"] = error, ["error_description"] = description }, StatusCodes.Status400BadRequest);
}
