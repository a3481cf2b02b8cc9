namespace Requesty.Management.Application.Policies;

/// <summary>POST /v1/manage/policies and PUT /v1/manage/policies/{name} (snake_case on the wire).</summary>
public sealed record PolicyRequest(string? Name, string? Type, List<PolicyEntryRequest>? Entries, Guid? ApiKeyId);

public sealed record PolicyEntryRequest(string? Model, int? Retries, decimal? Weight, string? KeySource);
