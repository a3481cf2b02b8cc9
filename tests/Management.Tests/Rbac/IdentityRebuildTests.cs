using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Requesty.Management.Infrastructure.EventSourcing;
using Requesty.Management.Infrastructure.Projections;
using Requesty.Management.Tests.Identity;
using Requesty.Management.Tests.Support;

namespace Requesty.Management.Tests.Rbac;

public sealed class IdentityRebuildTests(ManagementHostFixture fixture) : IClassFixture<ManagementHostFixture>
{
    [Fact]
    public async Task Rebuilding_from_the_log_gives_the_same_identity_rows()
    {
        using var admin = fixture.Client();
        var alice = await admin.CreateUserAsync("member", extra: new { monthly_limit = 5.25m });
        var bob = await admin.CreateUserAsync("admin");
        var gone = await admin.CreateUserAsync();
        await admin.CreateUserKeyAsync(alice.Id(), "chat");
        await admin.SendAsync(HttpMethod.Patch, $"v1/manage/user/{alice.Id()}", "{\"role\":\"admin\",\"monthly_limit\":null}");
        var group = await (await admin.PostAsJsonAsync("v1/manage/group", new { name = "Ops", description = "d", monthly_budget = 9.5m, member_monthly_limit = 2.25m })).ReadJsonAsync(HttpStatusCode.Created);
        await admin.PostAsJsonAsync($"v1/manage/group/{group.Id()}/member", new { user_id = alice.Id(), role = "admin" });
        await admin.PostAsJsonAsync($"v1/manage/group/{group.Id()}/member", new { user_id = bob.Id() });
        await admin.PostAsJsonAsync($"v1/manage/group/{group.Id()}/member", new { user_id = gone.Id() });
        await admin.SendAsync(HttpMethod.Patch, $"v1/manage/group/{group.Id()}/member/{bob.Id()}", new { role = "admin" });
        await admin.DeleteAsync($"v1/manage/user/{gone.Id()}");
        var dropped = await admin.CreateGroupAsync();
        await admin.PostAsJsonAsync($"v1/manage/group/{dropped.Id()}/member", new { user_id = bob.Id() });
        await admin.DeleteAsync($"v1/manage/group/{dropped.Id()}");
        var account = await (await admin.PostAsJsonAsync("v1/manage/service-account", new { name = "svc" })).ReadJsonAsync(HttpStatusCode.Created);
        await admin.PostAsJsonAsync("v1/manage/service-account", new { name = "svc2", description = "x" });
        await admin.DeleteAsync($"v1/manage/service-account/{account.Id()}");
        var project = await (await admin.PostAsJsonAsync("v1/manage/project", new { name = "shared", monthly_limit = 1m })).ReadJsonAsync(HttpStatusCode.Created);
        await admin.SendAsync(HttpMethod.Patch, $"v1/manage/project/{project.Id()}", new { name = "renamed" });

        var organizationId = await OrganizationIdAsync();
        var before = await SnapshotAsync(organizationId, null, null);
        Assert.True(before.Count >= 15, $"only {before.Count} rows");

        // Replays this organisation's streams through the projections, exactly as ProjectionRebuilder does,
        // inside a transaction that is rolled back: the comparison leaves the shared database untouched and
        // never holds the append lock (a full rebuild of the shared test log stalls every other test).
        await using var connection = await fixture.Database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var table in Tables)
        {
            await using var clear = new NpgsqlCommand($"DELETE FROM {table} WHERE organization_id = @org", connection, transaction);
            clear.Parameters.AddWithValue("org", organizationId);
            await clear.ExecuteNonQueryAsync();
        }
        IProjection[] projections = [new UserProjection(), new ProjectProjection(), new GroupProjection(), new ServiceAccountProjection(), new ApiKeyProjection()];
        var events = await EventsOfAsync(organizationId, connection, transaction);
        foreach (var @event in events)
            foreach (var projection in projections)
                await projection.ApplyAsync(@event, connection, transaction, default);

        Assert.Equal(before, await SnapshotAsync(organizationId, connection, transaction));
        await transaction.RollbackAsync();
    }

    private static readonly string[] Tables =
        ["management.users", "management.groups", "management.group_members", "management.service_accounts", "management.projects", "management.api_keys"];

    private static async Task<List<StoredEvent>> EventsOfAsync(Guid organizationId, NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        await using var command = new NpgsqlCommand("""
            SELECT seq, stream_id, stream_type, version, event_type, data::text, metadata::text, occurred_at FROM management.events
            WHERE stream_id IN (SELECT stream_id FROM management.events WHERE data->>'organizationId' = @org)
            ORDER BY seq
            """, connection, transaction);
        command.Parameters.AddWithValue("org", organizationId.ToString());
        var events = new List<StoredEvent>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            events.Add(new StoredEvent(reader.GetInt64(0), reader.GetGuid(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(4),
                EventTypeRegistry.Deserialize(reader.GetString(4), reader.GetString(5)),
                JsonSerializer.Deserialize<EventMetadata>(reader.GetString(6), EventTypeRegistry.Json)!,
                reader.GetFieldValue<DateTime>(7)));
        return events;
    }

    private async Task<Guid> OrganizationIdAsync()
    {
        await using var command = fixture.Database.CreateCommand("SELECT organization_id FROM management.api_keys WHERE key_hash = @hash");
        command.Parameters.AddWithValue("hash", Requesty.Management.Domain.ApiKeys.ApiKeySecret.Hash(fixture.AdminKey));
        return (Guid)(await command.ExecuteScalarAsync())!;
    }

    private async Task<List<string>> SnapshotAsync(Guid organizationId, NpgsqlConnection? connection, NpgsqlTransaction? transaction)
    {
        await using var command = connection is null ? fixture.Database.CreateCommand() : new NpgsqlCommand(null, connection, transaction);
        command.CommandText = """
            (SELECT row_to_json(t)::text FROM management.users t WHERE organization_id = @org ORDER BY id)
            UNION ALL (SELECT row_to_json(t)::text FROM management.groups t WHERE organization_id = @org ORDER BY id)
            UNION ALL (SELECT row_to_json(t)::text FROM management.group_members t WHERE organization_id = @org ORDER BY group_id, user_id)
            UNION ALL (SELECT row_to_json(t)::text FROM management.service_accounts t WHERE organization_id = @org ORDER BY id)
            UNION ALL (SELECT row_to_json(t)::text FROM management.projects t WHERE organization_id = @org ORDER BY id)
            UNION ALL (SELECT row_to_json(t)::text FROM management.api_keys t WHERE organization_id = @org ORDER BY id)
            """;
        command.Parameters.AddWithValue("org", organizationId);
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        return rows;
    }
}
