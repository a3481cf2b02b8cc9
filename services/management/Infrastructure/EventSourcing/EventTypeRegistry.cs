using System.Text.Json;
using Requesty.Management.Domain;
using Requesty.Management.Domain.ApiKeys;
using Requesty.Management.Domain.Organizations;

namespace Requesty.Management.Infrastructure.EventSourcing;

/// <summary>
/// Stable names of stored event types (the CLR name may change, the stored name may not) and the
/// JSON options used for event data. Register every new event here.
/// </summary>
public static class EventTypeRegistry
{
    private static readonly Dictionary<string, Type> TypesByName = new()
    {
        ["organization.created"] = typeof(OrganizationCreated),
        ["api_key.created"] = typeof(ApiKeyCreated),
        ["api_key.monthly_limit_changed"] = typeof(ApiKeyMonthlyLimitChanged),
        ["api_key.labels_changed"] = typeof(ApiKeyLabelsChanged),
        ["api_key.expiry_changed"] = typeof(ApiKeyExpiryChanged),
        ["api_key.deleted"] = typeof(ApiKeyDeleted),
        ["policy.defined"] = typeof(Domain.Policies.PolicyDefined),
        ["policy.removed"] = typeof(Domain.Policies.PolicyRemoved),
    };

    private static readonly Dictionary<Type, string> NamesByType = TypesByName.ToDictionary(p => p.Value, p => p.Key);

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string NameOf(IDomainEvent @event) =>
        NamesByType.TryGetValue(@event.GetType(), out var name)
            ? name
            : throw new InvalidOperationException($"Event type {@event.GetType().Name} is not registered in {nameof(EventTypeRegistry)}.");

    public static string Serialize(IDomainEvent @event) => JsonSerializer.Serialize(@event, @event.GetType(), Json);

    public static IDomainEvent Deserialize(string eventType, string json) =>
        TypesByName.TryGetValue(eventType, out var type)
            ? (IDomainEvent)JsonSerializer.Deserialize(json, type, Json)!
            : throw new InvalidOperationException($"Unknown stored event type '{eventType}'.");
}
