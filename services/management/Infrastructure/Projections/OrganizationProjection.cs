using Npgsql;
using Requesty.Management.Domain.Organizations;
using Requesty.Management.Infrastructure.EventSourcing;

namespace Requesty.Management.Infrastructure.Projections;

/// <summary>management.organizations: one row per organisation.</summary>
public sealed class OrganizationProjection : IProjection
{
    public IReadOnlyList<string> Tables { get; } = ["management.organizations"];

    public async Task ApplyAsync(StoredEvent @event, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        if (@event.Data is not OrganizationCreated created) return;

        await using var command = new NpgsqlCommand("""
            INSERT INTO management.organizations (id, name, created_at, version)
            VALUES (@id, @name, @created_at, @version)
            """, connection, transaction);
        command.Parameters.AddWithValue("id", @event.StreamId);
        command.Parameters.AddWithValue("name", created.Name);
        command.Parameters.AddWithValue("created_at", @event.OccurredAt);
        command.Parameters.AddWithValue("version", @event.Version);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
