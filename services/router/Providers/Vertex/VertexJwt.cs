using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Requesty.Router.Providers.Vertex;

/// <summary>
/// The signed JWT a service account trades for an access token (RFC 7523): RS256 over base64url(header).base64url(claims),
/// claims iss = the account's email, scope = cloud-platform, aud = the token URI, iat = now, exp = now + 1 hour.
/// </summary>
public static class VertexJwt
{
    public const string Scope = "https://www.googleapis.com/auth/cloud-platform";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    public static string CreateAssertion(VertexServiceAccount account, DateTimeOffset now)
    {
        var header = new JsonObject { ["alg"] = "RS256", ["typ"] = "JWT" };
        if (account.PrivateKeyId is { Length: > 0 } keyId) header["kid"] = keyId;
        var claims = new JsonObject
        {
            ["iss"] = account.ClientEmail,
            ["scope"] = Scope,
            ["aud"] = account.TokenUri,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = (now + Lifetime).ToUnixTimeSeconds(),
        };
        var signingInput = Encode(header) + "." + Encode(claims);
        using var rsa = RSA.Create();
        rsa.ImportFromPem(account.PrivateKeyPem);
        var signature = rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    private static string Encode(JsonObject part) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(part.ToJsonString()));
}
