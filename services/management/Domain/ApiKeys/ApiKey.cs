namespace Requesty.Management.Domain.ApiKeys;

/// <summary>
/// The API key aggregate, rebuilt from its stream. Commands check invariants against the state
/// and return the event to append; they never mutate state themselves (Apply does).
/// </summary>
public sealed class ApiKey
{
    public const string StreamType = "api_key";

    private ApiKey() { }

    public Guid Id { get; private set; }
    public Guid OrganizationId { get; private set; }
    public string Name { get; private set; } = "";
    public string KeyHash { get; private set; } = "";
    public string Prefix { get; private set; } = "";
    public IReadOnlyList<string> Permissions { get; private set; } = [];
    public decimal? MonthlyLimit { get; private set; }
    public IReadOnlyDictionary<string, string> Labels { get; private set; } = new Dictionary<string, string>();
    public DateTime? ExpiresAt { get; private set; }
    public Guid? ProjectId { get; private set; }
    public Guid? ServiceAccountId { get; private set; }
    public Guid? UserId { get; private set; }
    public bool Deleted { get; private set; }
    /// <summary>RBAC role the key acts with: its user's role; keys without a user act as admin.</summary>
    public string Role { get; private set; } = Users.UserRoles.Admin;
    public IReadOnlyList<Guid> GroupIds { get; private set; } = [];
    /// <summary>The organisation's default model (used when a request omits "model"), as last told to this key.</summary>
    public string? DefaultModel { get; private set; }

    /// <summary>Version of the stream this state reflects (number of events applied).</summary>
    public long Version { get; private set; }

    public static ApiKey? FromHistory(IEnumerable<IDomainEvent> history)
    {
        ApiKey? key = null;
        foreach (var @event in history)
        {
            key ??= new ApiKey();
            key.Apply(@event);
        }
        return key;
    }

    public bool IsExpired(DateTime nowUtc) => ExpiresAt is { } expiresAt && expiresAt <= nowUtc;

    public ApiKeyMonthlyLimitChanged ChangeMonthlyLimit(decimal? monthlyLimit)
    {
        EnsureNotDeleted();
        return new ApiKeyMonthlyLimitChanged(monthlyLimit);
    }

    public ApiKeyLabelsChanged ChangeLabels(IReadOnlyDictionary<string, string> labels)
    {
        EnsureNotDeleted();
        return new ApiKeyLabelsChanged(new SortedDictionary<string, string>(labels.ToDictionary(), StringComparer.Ordinal));
    }

    public ApiKeyExpiryChanged ChangeExpiry(DateTime? expiresAt, DateTime nowUtc)
    {
        EnsureNotDeleted();
        if (IsExpired(nowUtc))
            throw new DomainConflictException("The API key has already expired; an expired key cannot be un-expired.");
        return new ApiKeyExpiryChanged(expiresAt);
    }

    public ApiKeyDeleted Delete()
    {
        EnsureNotDeleted();
        return new ApiKeyDeleted();
    }

    private void EnsureNotDeleted()
    {
        if (Deleted) throw new DomainConflictException("The API key has been deleted.");
    }

    private void Apply(IDomainEvent @event)
    {
        switch (@event)
        {
            case ApiKeyCreated created:
                Id = created.ApiKeyId;
                OrganizationId = created.OrganizationId;
                Name = created.Name;
                KeyHash = created.KeyHash;
                Prefix = created.Prefix;
                Permissions = created.Permissions;
                MonthlyLimit = created.MonthlyLimit;
                Labels = created.Labels;
                ExpiresAt = created.ExpiresAt;
                ProjectId = created.ProjectId;
                ServiceAccountId = created.ServiceAccountId;
                UserId = created.UserId;
                Role = created.Role ?? (created.UserId is null ? Users.UserRoles.Admin : Users.UserRoles.Member);
                GroupIds = created.GroupIds ?? [];
                DefaultModel = created.DefaultModel;
                break;
            case ApiKeyDefaultModelChanged defaultModel:
                DefaultModel = defaultModel.DefaultModel;
                break;
            case ApiKeyAccessChanged access:
                Role = access.Role;
                GroupIds = access.GroupIds;
                break;
            case ApiKeyMonthlyLimitChanged limit:
                MonthlyLimit = limit.MonthlyLimit;
                break;
            case ApiKeyLabelsChanged labels:
                Labels = labels.Labels;
                break;
            case ApiKeyExpiryChanged expiry:
                ExpiresAt = expiry.ExpiresAt;
                break;
            case ApiKeyDeleted:
                Deleted = true;
                break;
            default:
                throw new InvalidOperationException($"ApiKey cannot apply {@event.GetType().Name}.");
        }
        Version++;
    }
}
