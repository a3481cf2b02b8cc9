namespace Requesty.ServiceDefaults;

/// <summary>One forward-only schema change; applied once, in version order. Never edit one that has shipped.</summary>
public sealed record SchemaMigration(int Version, string Name, string Sql);

/// <summary>A service's own PostgreSQL schema and its ordered, append-only list of migrations.</summary>
public sealed record PostgresSchema(string Name, IReadOnlyList<SchemaMigration> Migrations);
