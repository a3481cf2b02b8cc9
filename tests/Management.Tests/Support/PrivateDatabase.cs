using Npgsql;
using Requesty.TestKit;

namespace Requesty.Management.Tests.Support;

/// <summary>
/// A database of its own on the test PostgreSQL server, dropped on dispose. For tests that rebuild the
/// whole log: a rebuild deletes and re-inserts every read-model row, which on the shared database races
/// with other classes writing or replaying their own rows (and holds the append lock over everyone).
/// </summary>
public sealed class PrivateDatabase : IAsyncDisposable
{
    private readonly string _name;

    private PrivateDatabase(string name, string connectionString)
    {
        _name = name;
        ConnectionString = connectionString;
        DataSource = NpgsqlDataSource.Create(connectionString);
    }

    public string ConnectionString { get; }
    public NpgsqlDataSource DataSource { get; }
    public string ShortName => _name[^8..];

    public static async Task<PrivateDatabase> CreateAsync(string purpose)
    {
        var name = $"requesty_test_{purpose}_{Guid.NewGuid():N}";
        await AdminAsync($"CREATE DATABASE \"{name}\"");
        return new PrivateDatabase(name, new NpgsqlConnectionStringBuilder(TestServers.Postgres) { Database = name }.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await AdminAsync($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)");
    }

    private static async Task AdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(TestServers.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
