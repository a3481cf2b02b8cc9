using System.Security.Cryptography;
using System.Text;

namespace Requesty.Management.Domain.Policies;

/// <summary>
/// A routing policy, rebuilt from its stream. One stream per (organisation, name), so the name
/// alone finds it; a removed policy can be defined again on the same stream.
/// </summary>
public sealed class Policy
{
    public const string StreamType = "policy";
    public const string ReferencePrefix = "policy/";

    private Policy() { }

    public Guid Id { get; private set; }
    public Guid OrganizationId { get; private set; }
    public string Name { get; private set; } = "";
    public string Type { get; private set; } = "";
    public IReadOnlyList<PolicyEntry> Entries { get; private set; } = [];
    public Guid? ApiKeyId { get; private set; }
    public bool Removed { get; private set; }
    public DateTime UpdatedAt { get; private set; }
    public long Version { get; private set; }

    /// <summary>The stream id of a policy name: stable, so lookups by name need no index.</summary>
    public static Guid StreamIdFor(Guid organizationId, string name)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"policy:{organizationId:N}:{name}"));
        return new Guid(hash.AsSpan(0, 16));
    }

    public static Policy? FromHistory(IEnumerable<(IDomainEvent Event, DateTime OccurredAt)> history)
    {
        Policy? policy = null;
        foreach (var (@event, occurredAt) in history)
        {
            policy ??= new Policy();
            policy.Apply(@event, occurredAt);
        }
        return policy;
    }

    /// <summary>Names of the policies this one refers to directly.</summary>
    public IEnumerable<string> ReferencedPolicies() => References(Entries);

    public static IEnumerable<string> References(IEnumerable<PolicyEntry> entries) =>
        entries.Where(e => e.Model.StartsWith(ReferencePrefix, StringComparison.Ordinal)).Select(e => e.Model[ReferencePrefix.Length..]);

    public PolicyRemoved Remove()
    {
        if (Removed) throw new DomainConflictException("The policy has been deleted.");
        return new PolicyRemoved();
    }

    private void Apply(IDomainEvent @event, DateTime occurredAt)
    {
        switch (@event)
        {
            case PolicyDefined defined:
                Id = defined.PolicyId;
                OrganizationId = defined.OrganizationId;
                Name = defined.Name;
                Type = defined.Type;
                Entries = defined.Entries;
                ApiKeyId = defined.ApiKeyId;
                Removed = false;
                break;
            case PolicyRemoved:
                Removed = true;
                break;
            default:
                throw new InvalidOperationException($"Policy cannot apply {@event.GetType().Name}.");
        }
        UpdatedAt = occurredAt;
        Version++;
    }
}
