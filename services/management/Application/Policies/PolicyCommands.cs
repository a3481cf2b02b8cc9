using Npgsql;
using Requesty.Management.Domain;
using Requesty.Management.Domain.Policies;
using Requesty.Management.Infrastructure.EventSourcing;
using Requesty.Management.Infrastructure.ReadModels;

namespace Requesty.Management.Application.Policies;

/// <summary>Field-level problems found while saving a policy (unknown references, a cycle, a foreign API key).</summary>
public sealed class PolicyDefinitionException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}

/// <summary>
/// Write side for policies: references must exist in the organisation and must not close a cycle;
/// a policy other policies refer to cannot be deleted.
/// </summary>
public sealed class PolicyCommands(NpgsqlDataSource dataSource, EventStore eventStore, PolicyReadModel policies, ApiKeyReadModel apiKeys)
{
    // pg_advisory_lock(class, key) namespace of policy writes ("POLI"); the key is the organisation.
    private const int PolicyLockClass = 0x504F4C49;

    public Task<Policy> CreateAsync(Caller caller, PolicyRequest request, EventMetadata metadata, CancellationToken cancellationToken) =>
        SerializedAsync(caller.OrganizationId, () => CreateUnlockedAsync(caller, request, metadata, cancellationToken), cancellationToken);

    public Task<(Policy Policy, bool Created)> PutAsync(
        Caller caller, string name, PolicyRequest request, long? expectedVersion, EventMetadata metadata, CancellationToken cancellationToken) =>
        SerializedAsync(caller.OrganizationId, () => PutUnlockedAsync(caller, name, request, expectedVersion, metadata, cancellationToken), cancellationToken);

    /// <summary>False when there is no such policy.</summary>
    public Task<bool> DeleteAsync(Caller caller, string name, long? expectedVersion, EventMetadata metadata, CancellationToken cancellationToken) =>
        SerializedAsync(caller.OrganizationId, () => DeleteUnlockedAsync(caller, name, expectedVersion, metadata, cancellationToken), cancellationToken);

    /// <summary>
    /// One policy write per organisation at a time (across instances): the cycle and reference checks
    /// read the other policies, so two concurrent saves could otherwise close a cycle together.
    /// </summary>
    private async Task<T> SerializedAsync<T>(Guid organizationId, Func<Task<T>> write, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var acquire = new NpgsqlCommand("SELECT pg_advisory_lock(@class, hashtext(@organization))", connection))
        {
            acquire.Parameters.AddWithValue("class", PolicyLockClass);
            acquire.Parameters.AddWithValue("organization", organizationId.ToString("N"));
            await acquire.ExecuteNonQueryAsync(cancellationToken);
        }
        try
        {
            return await write();
        }
        finally
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(@class, hashtext(@organization))", connection);
            release.Parameters.AddWithValue("class", PolicyLockClass);
            release.Parameters.AddWithValue("organization", organizationId.ToString("N"));
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    private async Task<Policy> CreateUnlockedAsync(Caller caller, PolicyRequest request, EventMetadata metadata, CancellationToken cancellationToken)
    {
        var name = request.Name ?? throw new PolicyDefinitionException("name", "name is required.");
        var existing = await policies.FindAsync(caller.OrganizationId, name, cancellationToken);
        if (existing is { Removed: false })
            throw new DomainConflictException($"A policy named '{name}' already exists; use PUT /v1/manage/policies/{name} to change it.");
        return await DefineAsync(caller, name, request, existing, null, metadata, cancellationToken);
    }

    private async Task<(Policy Policy, bool Created)> PutUnlockedAsync(
        Caller caller, string name, PolicyRequest request, long? expectedVersion, EventMetadata metadata, CancellationToken cancellationToken)
    {
        if (request.Name is { } bodyName && bodyName != name)
            throw new PolicyDefinitionException("name", "name in the body must match the name in the path (renaming is not supported).");
        var existing = await policies.FindAsync(caller.OrganizationId, name, cancellationToken);
        var policy = await DefineAsync(caller, name, request, existing, expectedVersion, metadata, cancellationToken);
        return (policy, existing is null or { Removed: true });
    }

    private async Task<bool> DeleteUnlockedAsync(Caller caller, string name, long? expectedVersion, EventMetadata metadata, CancellationToken cancellationToken)
    {
        var policy = await policies.FindAsync(caller.OrganizationId, name, cancellationToken);
        if (policy is null or { Removed: true }) return false;
        CheckVersion(policy, expectedVersion);
        var users = (await policies.ListAsync(caller.OrganizationId, cancellationToken))
            .Where(p => p.Name != name && p.ReferencedPolicies().Contains(name))
            .Select(p => Policy.ReferencePrefix + p.Name)
            .ToList();
        if (users.Count > 0)
            throw new DomainConflictException($"{Policy.ReferencePrefix}{name} is used by {string.Join(", ", users)}; change those policies first.");

        await eventStore.AppendAsync(new StreamAppend(policy.Id, Policy.StreamType, policy.Version, policy.Remove()), metadata, cancellationToken);
        return true;
    }

    private async Task<Policy> DefineAsync(
        Caller caller, string name, PolicyRequest request, Policy? existing, long? expectedVersion, EventMetadata metadata, CancellationToken cancellationToken)
    {
        if (existing is not null) CheckVersion(existing, expectedVersion);
        var entries = request.Entries!.Select(e => new PolicyEntry(e.Model!.Trim(), e.Retries ?? 0, e.Weight ?? 1m, e.KeySource ?? "platform")).ToList();

        if (request.ApiKeyId is { } apiKeyId && await apiKeys.FindAsync(caller.OrganizationId, apiKeyId, cancellationToken) is null or { DeletedAt: not null })
            throw new PolicyDefinitionException("api_key_id", $"API key {apiKeyId} does not exist in your organisation.");

        var live = (await policies.ListAsync(caller.OrganizationId, cancellationToken)).ToDictionary(p => p.Name, StringComparer.Ordinal);
        var references = Policy.References(entries).ToList();
        if (references.Contains(name))
            throw new PolicyDefinitionException("entries", $"The policy would create a cycle: {Policy.ReferencePrefix}{name} -> {Policy.ReferencePrefix}{name}.");
        if (references.FirstOrDefault(r => !live.ContainsKey(r)) is { } unknown)
            throw new PolicyDefinitionException("entries", $"{Policy.ReferencePrefix}{unknown} does not exist; create it first.");
        var cycle = PolicyGraph.FindCycle(name, node => node == name ? references : live.TryGetValue(node, out var p) ? p.ReferencedPolicies() : []);
        if (cycle is not null)
            throw new PolicyDefinitionException("entries", $"The policy would create a cycle: {cycle}.");

        var streamId = Policy.StreamIdFor(caller.OrganizationId, name);
        var defined = new PolicyDefined(streamId, caller.OrganizationId, name, request.Type!, entries, request.ApiKeyId, caller.UserId);
        await eventStore.AppendAsync(new StreamAppend(streamId, Policy.StreamType, existing?.Version ?? 0, defined), metadata, cancellationToken);
        return await policies.FindAsync(caller.OrganizationId, name, cancellationToken)
            ?? throw new InvalidOperationException($"Policy '{name}' vanished after it was saved.");
    }

    private static void CheckVersion(Policy policy, long? expectedVersion)
    {
        if (expectedVersion is { } expected && expected != policy.Version)
            throw new ConcurrencyException(policy.Id, expected, policy.Version);
    }
}
