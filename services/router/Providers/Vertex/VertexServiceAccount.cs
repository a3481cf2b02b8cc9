using System.Security.Cryptography;
using System.Text.Json;

namespace Requesty.Router.Providers.Vertex;

/// <summary>The parts of a Google service-account key file the router needs to get access tokens.</summary>
public sealed record VertexServiceAccount(string ClientEmail, string PrivateKeyPem, string? PrivateKeyId, string TokenUri, string? ProjectId)
{
    public const string DefaultTokenUri = "https://oauth2.googleapis.com/token";

    /// <summary>Reads a service-account JSON key ({"type":"service_account","client_email","private_key","token_uri",...}).</summary>
    public static VertexServiceAccount Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        string? Read(string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        var email = Read("client_email") is { Length: > 0 } e ? e : throw new InvalidOperationException("The Vertex service account has no client_email.");
        var key = Read("private_key") is { Length: > 0 } k ? k : throw new InvalidOperationException("The Vertex service account has no private_key.");
        return new VertexServiceAccount(email, key, Read("private_key_id"), Read("token_uri") is { Length: > 0 } uri ? uri : DefaultTokenUri, Read("project_id"));
    }

    /// <summary>A throwaway account for the provider simulator (its token endpoint checks the assertion's claims, not whose key signed it).</summary>
    public static VertexServiceAccount Ephemeral(string tokenUri, string projectId) =>
        new($"router@{projectId}.iam.gserviceaccount.com", EphemeralKey.Value, "simulator", tokenUri, projectId);

    // One throwaway key per process: generating RSA keys is slow and tests start many routers.
    private static readonly Lazy<string> EphemeralKey = new(() =>
    {
        using var rsa = RSA.Create(2048);
        return rsa.ExportPkcs8PrivateKeyPem();
    });
}
