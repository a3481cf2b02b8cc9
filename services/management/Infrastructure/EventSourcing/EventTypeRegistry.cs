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
        ["organization.settings_changed"] = typeof(OrganizationSettingsChanged),
        ["organization.credits_added"] = typeof(OrganizationCreditsAdded),
        ["spend_limit.reached"] = typeof(SpendLimitHit),
        ["spend_limit.cleared"] = typeof(SpendLimitLifted),
        ["api_key.created"] = typeof(ApiKeyCreated),
        ["api_key.monthly_limit_changed"] = typeof(ApiKeyMonthlyLimitChanged),
        ["api_key.labels_changed"] = typeof(ApiKeyLabelsChanged),
        ["api_key.expiry_changed"] = typeof(ApiKeyExpiryChanged),
        ["api_key.deleted"] = typeof(ApiKeyDeleted),
        ["api_key.access_changed"] = typeof(ApiKeyAccessChanged),
        ["api_key.default_model_changed"] = typeof(ApiKeyDefaultModelChanged),
        ["user.created"] = typeof(Domain.Users.UserCreated),
        ["user.role_changed"] = typeof(Domain.Users.UserRoleChanged),
        ["user.monthly_limit_changed"] = typeof(Domain.Users.UserMonthlyLimitChanged),
        ["user.deleted"] = typeof(Domain.Users.UserDeleted),
        ["project.created"] = typeof(Domain.Projects.ProjectCreated),
        ["project.renamed"] = typeof(Domain.Projects.ProjectRenamed),
        ["project.monthly_limit_changed"] = typeof(Domain.Projects.ProjectMonthlyLimitChanged),
        ["project.deleted"] = typeof(Domain.Projects.ProjectDeleted),
        ["group.created"] = typeof(Domain.Groups.GroupCreated),
        ["group.details_changed"] = typeof(Domain.Groups.GroupDetailsChanged),
        ["group.deleted"] = typeof(Domain.Groups.GroupDeleted),
        ["group.member_added"] = typeof(Domain.Groups.GroupMemberAdded),
        ["group.member_role_changed"] = typeof(Domain.Groups.GroupMemberRoleChanged),
        ["group.member_removed"] = typeof(Domain.Groups.GroupMemberRemoved),
        ["service_account.created"] = typeof(Domain.ServiceAccounts.ServiceAccountCreated),
        ["service_account.deleted"] = typeof(Domain.ServiceAccounts.ServiceAccountDeleted),
        ["policy.defined"] = typeof(Domain.Policies.PolicyDefined),
        ["policy.removed"] = typeof(Domain.Policies.PolicyRemoved),
        ["byok_key.set"] = typeof(Domain.Byok.ByokKeySet),
        ["byok_key.removed"] = typeof(Domain.Byok.ByokKeyRemoved),
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
