using Npgsql;
using Requesty.Management.Infrastructure.EventSourcing;

namespace Requesty.Management.Infrastructure.Projections;

/// <summary>
/// A read model kept in step with the log: <see cref="ApplyAsync"/> runs inside the append's
/// transaction (so the read model can never disagree with the log), and a rebuild replays every
/// event through it after clearing <see cref="Tables"/>. It must only use data from the event
/// (never now() or other tables' current state) so a replay gives identical rows.
/// </summary>
public interface IProjection
{
    IReadOnlyList<string> Tables { get; }

    Task ApplyAsync(StoredEvent @event, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken);
}
