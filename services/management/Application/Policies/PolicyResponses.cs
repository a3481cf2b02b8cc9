using Requesty.Management.Domain.Policies;

namespace Requesty.Management.Application.Policies;

public sealed record PolicyResponse(string Name, string Type, IReadOnlyList<PolicyEntryResponse> Entries, Guid? ApiKeyId, long Version, DateTime UpdatedAt)
{
    public static PolicyResponse From(Policy policy) => new(
        policy.Name,
        policy.Type,
        policy.Entries.Select(e => new PolicyEntryResponse(e.Model, e.Retries, e.Weight, e.KeySource)).ToArray(),
        policy.ApiKeyId,
        policy.Version,
        policy.UpdatedAt);
}

public sealed record PolicyEntryResponse(string Model, int Retries, decimal Weight, string KeySource);

public sealed record PolicyListResponse(IReadOnlyList<PolicyResponse> Data);
