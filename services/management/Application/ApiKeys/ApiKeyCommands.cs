using Requesty.Management.Domain;
using Requesty.Management.Domain.ApiKeys;
using Requesty.Management.Infrastructure.EventSourcing;

namespace Requesty.Management.Application.ApiKeys;

/// <summary>
/// Write side for API keys: load the key's stream, let the aggregate decide, append with the
/// version that decision was based on. A concurrent writer makes the append throw
/// <see cref="ConcurrencyException"/> (409); <paramref name="expectedVersion"/> (If-Match) lets a client
/// insist on the version it last saw.
/// </summary>
public sealed class ApiKeyCommands(EventStore eventStore, TimeProvider time)
{
    public async Task<(Guid Id, string Key)> CreateAsync(Caller caller, CreateApiKeyRequest request, EventMetadata metadata, CancellationToken cancellationToken)
    {
        var key = ApiKeySecret.Generate();
        var id = Guid.NewGuid();
        var created = new ApiKeyCreated(
            id,
            caller.OrganizationId,
            request.Name!.Trim(),
            ApiKeySecret.Hash(key),
            ApiKeySecret.DisplayPrefix(key),
            ApiKeyPermissions.Normalize(request.Permissions ?? ApiKeyPermissions.Default),
            request.MonthlyLimit,
            new SortedDictionary<string, string>(request.Labels ?? [], StringComparer.Ordinal),
            request.ExpiresAt?.UtcDateTime,
            request.ProjectId,
            request.ServiceAccountId,
            request.UserId ?? caller.UserId,
            caller.ApiKeyId);
        await eventStore.AppendAsync(new StreamAppend(id, ApiKey.StreamType, 0, created), metadata, cancellationToken);
        return (id, key);
    }

    public Task ChangeMonthlyLimitAsync(Caller caller, Guid id, decimal? monthlyLimit, long? expectedVersion, EventMetadata metadata, CancellationToken cancellationToken) =>
        ExecuteAsync(caller, id, expectedVersion, key => key.ChangeMonthlyLimit(monthlyLimit), metadata, cancellationToken);

    public Task ChangeLabelsAsync(Caller caller, Guid id, IReadOnlyDictionary<string, string> labels, long? expectedVersion, EventMetadata metadata, CancellationToken cancellationToken) =>
        ExecuteAsync(caller, id, expectedVersion, key => key.ChangeLabels(labels), metadata, cancellationToken);

    public Task ChangeExpiryAsync(Caller caller, Guid id, DateTime? expiresAt, long? expectedVersion, EventMetadata metadata, CancellationToken cancellationToken) =>
        ExecuteAsync(caller, id, expectedVersion, key => key.ChangeExpiry(expiresAt, time.GetUtcNow().UtcDateTime), metadata, cancellationToken);

    public Task DeleteAsync(Caller caller, Guid id, long? expectedVersion, EventMetadata metadata, CancellationToken cancellationToken) =>
        ExecuteAsync(caller, id, expectedVersion, key => key.Delete(), metadata, cancellationToken);

    private async Task ExecuteAsync(
        Caller caller, Guid id, long? expectedVersion, Func<ApiKey, IDomainEvent> decide, EventMetadata metadata, CancellationToken cancellationToken)
    {
        var key = ApiKey.FromHistory((await eventStore.ReadStreamAsync(id, cancellationToken)).Select(e => e.Data));
        if (key is null || key.Deleted || key.OrganizationId != caller.OrganizationId)
            throw new ResourceNotFoundException("API key", id);
        if (expectedVersion is { } expected && expected != key.Version)
            throw new ConcurrencyException(id, expected, key.Version);

        await eventStore.AppendAsync(new StreamAppend(id, ApiKey.StreamType, key.Version, decide(key)), metadata, cancellationToken);
    }
}
