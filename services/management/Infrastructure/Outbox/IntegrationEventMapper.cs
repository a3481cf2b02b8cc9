using Requesty.Contracts.Keys;
using Requesty.Contracts.Management;
using Requesty.Management.Domain.ApiKeys;
using Requesty.Management.Infrastructure.EventSourcing;

namespace Requesty.Management.Infrastructure.Outbox;

/// <summary>
/// Turns stored domain events into the integration events other services consume. Key events
/// carry the key's full state as of that event (folded from its stream up to the event's
/// version), so consumers can simply keep the newest version they have seen.
/// </summary>
public static class IntegrationEventMapper
{
    public static object? Map(StoredEvent @event, IReadOnlyList<StoredEvent> streamHistory)
    {
        switch (@event.Data)
        {
            case ApiKeyCreated or ApiKeyMonthlyLimitChanged or ApiKeyLabelsChanged or ApiKeyExpiryChanged or ApiKeyAccessChanged or ApiKeyDefaultModelChanged:
                var key = StateAt(@event, streamHistory);
                return new ApiKeyUpserted { Key = ToContext(key), OccurredAt = @event.OccurredAt };
            case ApiKeyDeleted:
                var deleted = StateAt(@event, streamHistory);
                return new ApiKeyRevoked
                {
                    ApiKeyId = deleted.Id,
                    KeyHash = deleted.KeyHash,
                    OrganizationId = deleted.OrganizationId,
                    OccurredAt = @event.OccurredAt,
                };
            case Domain.Policies.PolicyDefined or Domain.Policies.PolicyRemoved:
                return Application.Policies.PolicyIntegrationEvents.Map(@event, streamHistory);
            case Domain.Byok.ByokKeySet or Domain.Byok.ByokKeyRemoved:
                return Application.Byok.ByokIntegrationEvents.Map(@event, streamHistory);
            case Domain.Organizations.SpendLimitHit or Domain.Organizations.SpendLimitLifted:
                return Application.Spend.SpendIntegrationEvents.Map(@event);
            default:
                return null;
        }
    }

    /// <summary>
    /// <see cref="Map"/> plus the stored event's sequence as EventSequence: the same id every time the event is
    /// (re)published, so consumers can tell an at-least-once redelivery from a new change.
    /// </summary>
    public static object? MapWithSequence(StoredEvent @event, IReadOnlyList<StoredEvent> streamHistory) =>
        Map(@event, streamHistory) switch
        {
            ApiKeyUpserted upserted => upserted with { EventSequence = @event.Sequence },
            ApiKeyRevoked revoked => revoked with { EventSequence = @event.Sequence },
            PolicyUpserted policy => policy with { EventSequence = @event.Sequence },
            PolicyDeleted policyDeleted => policyDeleted with { EventSequence = @event.Sequence },
            var other => other,
        };

    public static ApiKeyContext ToContext(ApiKey key) => new()
    {
        KeyHash = key.KeyHash,
        ApiKeyId = key.Id,
        OrganizationId = key.OrganizationId,
        UserId = key.UserId,
        ServiceAccountId = key.ServiceAccountId,
        ProjectId = key.ProjectId,
        Role = key.Role,
        GroupIds = key.GroupIds,
        Permissions = key.Permissions,
        MonthlyLimitUsd = key.MonthlyLimit,
        ExpiresAt = key.ExpiresAt,
        DefaultModel = key.DefaultModel,
        Version = key.Version,
    };

    private static ApiKey StateAt(StoredEvent @event, IReadOnlyList<StoredEvent> streamHistory) =>
        ApiKey.FromHistory(streamHistory.Where(e => e.Version <= @event.Version).OrderBy(e => e.Version).Select(e => e.Data))
        ?? throw new InvalidOperationException($"Stream {@event.StreamId} has no events.");
}
