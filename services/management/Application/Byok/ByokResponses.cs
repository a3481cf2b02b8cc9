using Requesty.Management.Infrastructure.ReadModels;

namespace Requesty.Management.Application.Byok;

/// <summary>An own key as the API shows it: which provider, a hint, which master key sealed it - never the key.</summary>
public sealed record ByokKeyResponse(string Provider, string Hint, string EncryptionKeyId, DateTime CreatedAt, DateTime UpdatedAt, long Version)
{
    public static ByokKeyResponse From(ByokKeyRow row) =>
        new(row.Provider, row.Hint, row.Key.KeyId, row.CreatedAt, row.UpdatedAt, row.Version);
}

public sealed record ByokKeyListResponse(IReadOnlyList<ByokKeyResponse> Data);
