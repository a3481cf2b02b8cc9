using Microsoft.Extensions.Options;
using Requesty.Analytics.Infrastructure.ClickHouse;
using Requesty.Analytics.Tests.Support;
using Requesty.TestKit;

namespace Requesty.Analytics.Tests.Integration;

public class ClickHouseClientTests
{
    internal static ClickHouseClient CreateClient(string? database = null) => new(new HttpClient(), Options.Create(new ClickHouseOptions
    {
        Url = TestServers.ClickHouseUrl,
        Database = database ?? TestServers.ClickHouseDatabase,
        User = TestServers.ClickHouseUser,
        Password = TestServers.ClickHousePassword,
    }));

    [Fact]
    public async Task Inserts_rows_and_reads_them_back()
    {
        var client = CreateClient();
        var table = $"it_client_{Guid.NewGuid():N}";
        await client.ExecuteAsync(
            $"CREATE TABLE {table} (id UUID, name String, amount Decimal(18, 9), at DateTime('UTC'), labels Array(String)) ENGINE = MergeTree ORDER BY id",
            CancellationToken.None);
        try
        {
            var rows = new[]
            {
                new ScratchRow(Guid.NewGuid(), "O'Brien \\ \"quoted\"\nnew line", 0.123456789m, "2025-01-02 03:04:05", ["a", "é😀"]),
                new ScratchRow(Guid.NewGuid(), "", -999999999.999999999m, "1970-01-01 00:00:00", []),
            };
            await client.InsertAsync(table, rows, TestJsonContext.Default.ScratchRow, CancellationToken.None);

            var read = await client.QueryAsync($"SELECT * FROM {table} ORDER BY amount DESC", TestJsonContext.Default.ScratchRow, CancellationToken.None);

            Assert.Equal(2, read.Count);
            Assert.Equal(rows[0].Id, read[0].Id);
            Assert.Equal(rows[0].Name, read[0].Name);
            Assert.Equal(rows[0].Amount, read[0].Amount);
            Assert.Equal(rows[0].At, read[0].At);
            Assert.Equal(rows[0].Labels, read[0].Labels);
            Assert.Equal(rows[1].Amount, read[1].Amount);

            var escaped = await client.QueryAsync(
                $"SELECT name FROM {table} WHERE name = {SqlLiteral.String(rows[0].Name)}", TestJsonContext.Default.NameRow, CancellationToken.None);
            Assert.Equal(rows[0].Name, Assert.Single(escaped).Name);
        }
        finally
        {
            await client.ExecuteAsync($"DROP TABLE IF EXISTS {table}", CancellationToken.None);
        }
    }

    [Fact]
    public async Task Server_errors_become_ClickHouseException_with_the_code()
    {
        var client = CreateClient();
        var error = await Assert.ThrowsAsync<ClickHouseException>(() =>
            client.QueryAsync($"SELECT count() AS count FROM missing_{Guid.NewGuid():N}", TestJsonContext.Default.CountResult, CancellationToken.None));
        Assert.Equal(60, error.ErrorCode);
        Assert.Contains("doesn't exist", error.ServerMessage);
    }

    [Fact]
    public async Task Ping_answers()
    {
        Assert.True(await CreateClient().PingAsync(CancellationToken.None));
    }
}
