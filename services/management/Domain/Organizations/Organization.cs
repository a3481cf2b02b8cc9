namespace Requesty.Management.Domain.Organizations;

/// <summary>A tenant. Everything else (keys, users, groups...) belongs to exactly one organisation.</summary>
public static class Organization
{
    public const string StreamType = "organization";

    public static OrganizationCreated Create(Guid id, string name) => new(id, name.Trim());
}
