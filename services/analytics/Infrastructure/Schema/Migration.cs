namespace Requesty.Analytics.Infrastructure.Schema;

/// <summary>
/// One versioned schema change. Steps must be idempotent (CREATE ... IF NOT EXISTS,
/// <see cref="AddColumnIfMissing"/>): ClickHouse has no locks or DDL transactions, so two
/// instances starting together, or a crash between a step and its bookkeeping row, can run a
/// step twice. SQL must run on ClickHouse 18.16 and current releases (see DESIGN.md section 4).
/// </summary>
public sealed record Migration(uint Version, string Name, IReadOnlyList<MigrationStep> Steps);

public abstract record MigrationStep;

/// <summary>A statement that is safe to repeat. Table names are unqualified: the database comes from the connection.</summary>
public sealed record SqlStep(string Sql) : MigrationStep;

/// <summary>
/// ALTER TABLE ... ADD COLUMN, skipped when the column exists (18.16 lacks ADD COLUMN IF NOT EXISTS).
/// </summary>
public sealed record AddColumnIfMissing(string Table, string Column, string TypeAndDefault) : MigrationStep;
