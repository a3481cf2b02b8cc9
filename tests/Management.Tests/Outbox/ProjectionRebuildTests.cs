using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Requesty.Management.Domain.ApiKeys;
using Requesty.Management.Infrastructure.Projections;
using Requesty.Management.Tests.Support;

namespace Requesty.Management.Tests.Outbox;

/// <summary>
/// Every read model the service registers (whatever its table), rebuilt from the whole log, equals the live
/// one. It runs on a private database, so the rebuild replays only this class's log and blocks nobody else.
/// </summary>
public sealed class ProjectionRebuildTests(PrivateDatabaseManagementFixture fixture) : IClassFixture<PrivateDatabaseManagementFixture>
{
    [Fact]
    public async Task Rebuilding_every_registered_projection_gives_the_live_rows()
    {
        using var admin = fixture.Client();
        var kept = (await admin.CreateKeyAsync(new { name = "kept", monthly_limit = 3.5m, labels = new { env = "prod" } }))["id"]!.GetValue<Guid>();
        (await admin.PostAsJsonAsync($"v1/manage/apikey/{kept}/limit", new { monthly_limit = 7.25m })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"v1/manage/apikey/{kept}/expiry", new { expires_at = "2031-02-03T04:05:06.789Z" })).EnsureSuccessStatusCode();
        var dropped = (await admin.CreateKeyAsync(new { name = "dropped" }))["id"]!.GetValue<Guid>();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"v1/manage/apikey/{dropped}")).StatusCode);
        (await admin.PostAsJsonAsync("v1/manage/policies", new { name = "rebuilt", type = "fallback", entries = new[] { new { model = "openai/gpt-4o" } } }))
            .EnsureSuccessStatusCode();
        var patch = new HttpRequestMessage(HttpMethod.Patch, "v1/manage/org")
        {
            Content = new StringContent("{\"default_model\":\"openai/gpt-4o-mini\"}", System.Text.Encoding.UTF8, "application/json"),
        };
        (await admin.SendAsync(patch)).EnsureSuccessStatusCode();

        var organizationId = await OrganizationIdAsync();
        var tables = fixture.Host.Services.GetServices<IProjection>().SelectMany(p => p.Tables).Distinct().Order().ToList();
        Assert.Contains("management.stream_owners", tables);
        Assert.Contains("management.api_keys", tables);

        var before = await SnapshotAsync(tables, organizationId);
        Assert.True(before["management.api_keys"].Count >= 3);
        Assert.True(before["management.stream_owners"].Count >= 4);
        Assert.Single(before["management.organizations"]);

        await fixture.Host.Services.GetRequiredService<ProjectionRebuilder>().RebuildAsync(CancellationToken.None);

        var after = await SnapshotAsync(tables, organizationId);
        foreach (var table in tables) Assert.Equal(before[table], after[table]);
    }

    /// <summary>Each table's rows of the organisation (by organization_id, or id for the organisations table), as JSON, in a stable order.</summary>
    private async Task<Dictionary<string, List<string>>> SnapshotAsync(IReadOnlyList<string> tables, Guid organizationId)
    {
        var snapshot = new Dictionary<string, List<string>>();
        foreach (var table in tables)
        {
            var scope = await HasColumnAsync(table, "organization_id") ? "t.organization_id = @org"
                : table == "management.organizations" ? "t.id = @org"
                : throw new Xunit.Sdk.XunitException($"{table} has no organization_id column; scope its rows in this test.");
            await using var command = fixture.Database.CreateCommand(
                $"SELECT row_to_json(t)::text AS row FROM {table} t WHERE {scope} ORDER BY 1");
            command.Parameters.AddWithValue("org", organizationId);
            var rows = new List<string>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
            snapshot[table] = rows;
        }
        return snapshot;
    }

    private async Task<bool> HasColumnAsync(string table, string column)
    {
        var parts = table.Split('.');
        await using var command = fixture.Database.CreateCommand(
            "SELECT count(*) FROM information_schema.columns WHERE table_schema = @schema AND table_name = @table AND column_name = @column");
        command.Parameters.AddWithValue("schema", parts[0]);
        command.Parameters.AddWithValue("table", parts[1]);
        command.Parameters.AddWithValue("column", column);
        return (long)(await command.ExecuteScalarAsync())! > 0;
    }

    private async Task<Guid> OrganizationIdAsync()
    {
        await using var command = fixture.Database.CreateCommand("SELECT organization_id FROM management.api_keys WHERE key_hash = @hash");
        command.Parameters.AddWithValue("hash", ApiKeySecret.Hash(fixture.AdminKey));
        return (Guid)(await command.ExecuteScalarAsync())!;
    }
}
