namespace Requesty.Management.Domain.Organizations;

/// <summary>
/// A tenant, rebuilt from its stream. Everything else (keys, users, groups...) belongs to exactly one
/// organisation. Commands check invariants and return the event to append; Apply changes state.
/// </summary>
public sealed class Organization
{
    public const string StreamType = "organization";

    private Organization() { }

    public Guid Id { get; private set; }
    public string Name { get; private set; } = "";
    public string? DefaultModel { get; private set; }
    public decimal? DefaultUserMonthlyLimit { get; private set; }
    public string BillingMode { get; private set; } = BillingModes.Postpaid;
    public decimal CreditsUsd { get; private set; }
    public long Version { get; private set; }

    public static OrganizationCreated Create(Guid id, string name) => new(id, name.Trim());

    public static Organization? FromHistory(IEnumerable<IDomainEvent> history)
    {
        Organization? organization = null;
        foreach (var @event in history)
        {
            organization ??= new Organization();
            organization.Apply(@event);
        }
        return organization;
    }

    /// <summary>Every setting as it should be afterwards; null when nothing changes (no event).</summary>
    public OrganizationSettingsChanged? ChangeSettings(string name, string? defaultModel, decimal? defaultUserMonthlyLimit, string billingMode)
    {
        if (!BillingModes.All.Contains(billingMode))
            throw new DomainConflictException($"billing_mode must be one of {string.Join(", ", BillingModes.All)}.");
        var changed = new OrganizationSettingsChanged(name.Trim(), defaultModel, defaultUserMonthlyLimit, billingMode);
        return changed == new OrganizationSettingsChanged(Name, DefaultModel, DefaultUserMonthlyLimit, BillingMode) ? null : changed;
    }

    public OrganizationCreditsAdded AddCredits(decimal amountUsd, string? note)
    {
        if (amountUsd <= 0) throw new DomainConflictException("amount_usd must be greater than zero.");
        return new OrganizationCreditsAdded(amountUsd, string.IsNullOrWhiteSpace(note) ? null : note.Trim());
    }

    private void Apply(IDomainEvent @event)
    {
        switch (@event)
        {
            case OrganizationCreated created:
                Id = created.OrganizationId;
                Name = created.Name;
                break;
            case OrganizationSettingsChanged settings:
                Name = settings.Name;
                DefaultModel = settings.DefaultModel;
                DefaultUserMonthlyLimit = settings.DefaultUserMonthlyLimit;
                BillingMode = settings.BillingMode;
                break;
            case OrganizationCreditsAdded credits:
                CreditsUsd += credits.AmountUsd;
                break;
            default:
                throw new InvalidOperationException($"Organization cannot apply {@event.GetType().Name}.");
        }
        Version++;
    }
}

public static class BillingModes
{
    /// <summary>Requests are refused once credits minus all spend is zero or less.</summary>
    public const string Prepaid = "prepaid";
    /// <summary>Spend is invoiced afterwards; the balance may go negative and never blocks.</summary>
    public const string Postpaid = "postpaid";

    public static readonly IReadOnlyList<string> All = [Prepaid, Postpaid];
}
