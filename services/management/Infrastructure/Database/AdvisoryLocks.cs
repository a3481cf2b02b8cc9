namespace Requesty.Management.Infrastructure.Database;

/// <summary>pg_advisory_lock keys used by this service (arbitrary but fixed 64-bit numbers).</summary>
public static class AdvisoryLocks
{
    /// <summary>Held (transaction-scoped) by every append and by projection rebuilds.</summary>
    public const long EventAppend = 0x6D676D74_00000001;

    /// <summary>Held (session-scoped) while the start-up bootstrap checks for and creates the admin key.</summary>
    public const long Bootstrap = 0x6D676D74_00000003;
}
