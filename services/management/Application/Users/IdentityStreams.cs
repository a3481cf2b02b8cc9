using Npgsql;
using Requesty.Management.Domain;
using Requesty.Management.Infrastructure.EventSourcing;

namespace Requesty.Management.Application.Users;

/// <summary>Shared steps of the identity commands: fold a stream, check organisation and If-Match.</summary>
public static class IdentityStreams
{
    public static async Task<T?> FoldStreamAsync<T>(EventStore eventStore, Guid id, Func<IEnumerable<IDomainEvent>, T?> fold, CancellationToken cancellationToken)
        where T : class =>
        fold((await eventStore.ReadStreamAsync(id, cancellationToken)).Select(e => e.Data));

    public static void EnsureVersion(Guid id, long? expectedVersion, long actualVersion)
    {
        if (expectedVersion is { } expected && expected != actualVersion)
            throw new ConcurrencyException(id, expected, actualVersion);
    }

    public static NpgsqlParameter Uuid(string name, Guid? value) =>
        new(name, NpgsqlTypes.NpgsqlDbType.Uuid) { Value = (object?)value ?? DBNull.Value };

    /// <summary>Guids in one fixed order (their text form), so equal sets serialise the same way.</summary>
    public static IReadOnlyList<Guid> Canonical(IEnumerable<Guid> ids) =>
        ids.Distinct().OrderBy(id => id.ToString("D"), StringComparer.Ordinal).ToArray();
}
