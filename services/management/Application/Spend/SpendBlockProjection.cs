using Npgsql;
using NpgsqlTypes;
using Requesty.Management.Domain.Organizations;
using Requesty.Management.Infrastructure.EventSourcing;
using Requesty.Management.Infrastructure.Projections;

namespace Requesty.Management.Application.Spend;

/// <summary>management.spend_blocks: one row per scope that was ever blocked; month is null once the block is lifted.</summary>
public sealed class SpendBlockProjection : IProjection
{
    public IReadOnlyList<string> Tables { get; } = ["management.spend_blocks"];

    public async Task ApplyAsync(StoredEvent @event, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        (Guid OrganizationId, string Scope, Guid ScopeId, DateTime? Month, decimal Spend, decimal? Limit) row;
        if (@event.Data is SpendLimitHit hit) row = (hit.OrganizationId, hit.Scope, hit.ScopeId, hit.Month, hit.SpendUsd, hit.LimitUsd);
        else if (@event.Data is SpendLimitLifted lifted) row = (lifted.OrganizationId, lifted.Scope, lifted.ScopeId, null, lifted.SpendUsd, lifted.LimitUsd);
        else return;
        var (organizationId, scope, scopeId, month, spend, limit) = row;

        await using var command = new NpgsqlCommand("""
            INSERT INTO management.spend_blocks (scope, scope_id, organization_id, month, spend_usd, limit_usd, changed_at, version)
            VALUES (@scope, @scope_id, @org, @month, @spend, @limit, @at, @version)
            ON CONFLICT (scope, scope_id) DO UPDATE SET month = EXCLUDED.month, spend_usd = EXCLUDED.spend_usd,
                limit_usd = EXCLUDED.limit_usd, changed_at = EXCLUDED.changed_at, version = EXCLUDED.version
            """, connection, transaction);
        command.Parameters.AddWithValue("scope", scope);
        command.Parameters.AddWithValue("scope_id", scopeId);
        command.Parameters.AddWithValue("org", organizationId);
        command.Parameters.Add(new NpgsqlParameter("month", NpgsqlDbType.Date) { Value = month is { } m ? DateOnly.FromDateTime(m) : DBNull.Value });
        command.Parameters.AddWithValue("spend", spend);
        command.Parameters.Add(new NpgsqlParameter("limit", NpgsqlDbType.Numeric) { Value = limit is { } l ? l : DBNull.Value });
        command.Parameters.AddWithValue("at", @event.OccurredAt);
        command.Parameters.AddWithValue("version", @event.Version);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
