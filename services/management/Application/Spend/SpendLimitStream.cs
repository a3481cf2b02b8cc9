using System.Security.Cryptography;
using System.Text;
using Requesty.Management.Domain.Organizations;

namespace Requesty.Management.Application.Spend;

/// <summary>
/// Each scope's block state lives on its own "spend_limit" stream whose id is derived from the scope
/// (so every instance finds the same stream, and appends with its version stop duplicate blocks).
/// </summary>
public static class SpendLimitStream
{
    public const string StreamType = "spend_limit";

    public static Guid IdOf(SpendScope scope)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"spend_limit:{scope.Scope}:{scope.ScopeId:N}"));
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80); // RFC 9562 version 8 (custom), variant 10xx
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>The month the scope is blocked for (null: not blocked) and the stream's version.</summary>
    public static (DateTime? BlockedMonth, long Version) Fold(IEnumerable<Domain.IDomainEvent> history)
    {
        DateTime? blocked = null;
        long version = 0;
        foreach (var @event in history)
        {
            blocked = @event switch
            {
                SpendLimitHit hit => hit.Month,
                SpendLimitLifted => null,
                _ => blocked,
            };
            version++;
        }
        return (blocked, version);
    }
}
