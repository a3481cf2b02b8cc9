namespace Requesty.Management.Application.Bootstrap;

/// <summary>Configuration section "Bootstrap" (the launcher generates AdminKey).</summary>
public sealed class BootstrapOptions
{
    public string OrganizationName { get; set; } = "Demo";

    /// <summary>Plaintext admin key; only its SHA-256 is stored. Empty = no bootstrap.</summary>
    public string? AdminKey { get; set; }

    /// <summary>Email of the admin user the admin key belongs to; empty = "admin@&lt;organisation slug&gt;.local".</summary>
    public string? AdminEmail { get; set; }
}
