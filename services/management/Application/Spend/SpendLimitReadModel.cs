using Npgsql;
using NpgsqlTypes;
using Requesty.Contracts.Management;

namespace Requesty.Management.Application.Spend;

/// <summary>Spend against limits per scope (limits from the owners' read models) and the current blocks.</summary>
public sealed class SpendLimitReadModel(NpgsqlDataSource dataSource)
{
    // The limit of each scope kind; the organisation's "limit" is its credits while it is prepaid.
    private const string LimitOf = """
        CASE t.scope
            WHEN 'api_key' THEN (SELECT monthly_limit FROM management.api_keys WHERE id = t.scope_id AND deleted_at IS NULL)
            WHEN 'user' THEN (SELECT monthly_limit FROM management.users WHERE id = t.scope_id AND deleted_at IS NULL)
            WHEN 'project' THEN (SELECT monthly_limit FROM management.projects WHERE id = t.scope_id AND deleted_at IS NULL)
            WHEN 'group' THEN (SELECT monthly_budget FROM management.groups WHERE id = t.scope_id AND deleted_at IS NULL)
            WHEN 'organization' THEN (SELECT credits_usd FROM management.organizations WHERE id = t.scope_id AND billing_mode = 'prepaid')
        END
        """;

    public async Task<IReadOnlyList<SpendLimitState>> StatesAsync(
        IReadOnlyList<(Guid OrganizationId, SpendScope Scope)> scopes, DateTime month, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT t.organization_id, t.scope, t.scope_id,
                CASE WHEN t.scope = 'organization'
                    THEN (SELECT coalesce(sum(spend_usd), 0) FROM management.monthly_spend WHERE scope = 'organization' AND scope_id = t.scope_id)
                    ELSE coalesce((SELECT spend_usd FROM management.monthly_spend WHERE scope = t.scope AND scope_id = t.scope_id AND month = @month), 0)
                END,
                {LimitOf},
                b.month, coalesce(b.version, 0)
            FROM unnest(@orgs, @scopes, @ids) AS t(organization_id, scope, scope_id)
            LEFT JOIN management.spend_blocks b ON b.scope = t.scope AND b.scope_id = t.scope_id
            """);
        command.Parameters.Add(new NpgsqlParameter("orgs", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = scopes.Select(s => s.OrganizationId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("scopes", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = scopes.Select(s => s.Scope.Scope).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = scopes.Select(s => s.Scope.ScopeId).ToArray() });
        command.Parameters.AddWithValue("month", DateOnly.FromDateTime(month));

        var states = new List<SpendLimitState>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            states.Add(new SpendLimitState(
                reader.GetGuid(0),
                new SpendScope(reader.GetString(1), reader.GetGuid(2)),
                reader.GetDecimal(3),
                reader.IsDBNull(4) ? null : reader.GetDecimal(4),
                reader.IsDBNull(5) ? null : UtcMidnight(reader.GetFieldValue<DateOnly>(5)),
                reader.GetInt64(6)));
        }
        return states;
    }

    /// <summary>
    /// Scopes whose block may be out of date: every blocked scope (its limit may have been raised), every
    /// prepaid organisation, and every scope at or over its limit this month without a block yet.
    /// </summary>
    public async Task<IReadOnlyList<(Guid OrganizationId, SpendScope Scope)>> CandidatesAsync(DateTime month, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT organization_id, scope, scope_id FROM management.spend_blocks WHERE month IS NOT NULL
            UNION
            SELECT id, 'organization', id FROM management.organizations WHERE billing_mode = 'prepaid'
            UNION
            SELECT t.organization_id, t.scope, t.scope_id FROM management.monthly_spend t
            WHERE t.month = @month AND t.scope <> 'organization' AND t.spend_usd >= {LimitOf}
            """);
        command.Parameters.AddWithValue("month", DateOnly.FromDateTime(month));
        var candidates = new List<(Guid, SpendScope)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            candidates.Add((reader.GetGuid(0), new SpendScope(reader.GetString(1), reader.GetGuid(2))));
        return candidates;
    }

    /// <summary>Every scope blocked for <paramref name="month"/> or later (the router ignores blocks of other months).</summary>
    public async Task<IReadOnlyList<SpendBlock>> BlocksAsync(DateTime month, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT organization_id, scope, scope_id, month, spend_usd, limit_usd, version
            FROM management.spend_blocks WHERE month >= @month ORDER BY organization_id, scope, scope_id
            """);
        command.Parameters.AddWithValue("month", DateOnly.FromDateTime(month));
        var blocks = new List<SpendBlock>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            blocks.Add(new SpendBlock
            {
                OrganizationId = reader.GetGuid(0),
                Scope = reader.GetString(1),
                ScopeId = reader.GetGuid(2),
                Month = UtcMidnight(reader.GetFieldValue<DateOnly>(3)),
                SpendUsd = reader.GetDecimal(4),
                LimitUsd = reader.IsDBNull(5) ? 0m : reader.GetDecimal(5),
                Version = reader.GetInt64(6),
            });
        }
        return blocks;
    }

    private static DateTime UtcMidnight(DateOnly day) => day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
}
