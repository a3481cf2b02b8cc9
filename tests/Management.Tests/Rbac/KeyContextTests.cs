using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Requesty.Contracts.Keys;
using Requesty.Contracts.Management;
using Requesty.Management.Domain.ApiKeys;
using Requesty.Management.Infrastructure.EventSourcing;
using Requesty.Management.Infrastructure.Outbox;
using Requesty.Management.Tests.Identity;
using Requesty.Management.Tests.Support;
using Requesty.TestKit;

namespace Requesty.Management.Tests.Rbac;

public sealed class KeyContextTests(ManagementHostFixture fixture) : IClassFixture<ManagementHostFixture>
{
    [Fact]
    public async Task The_router_context_carries_role_and_group_ids_and_moves_on_when_they_change()
    {
        using var admin = fixture.Client();
        using var internalClient = fixture.Host.CreateClient();
        internalClient.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestServers.InternalToken);
        var user = await admin.CreateUserAsync("member");
        var (keyId, key) = await admin.CreateUserKeyAsync(user.Id(), "chat");
        var hash = ApiKeySecret.Hash(key);
        async Task<ApiKeyContext> ContextAsync() => (await internalClient.GetFromJsonAsync<ApiKeyContext>($"internal/keys/{hash}"))!;

        var initial = await ContextAsync();
        Assert.Equal(ApiKeyRoles.Member, initial.Role);
        Assert.Empty(initial.GroupIds);
        Assert.Equal(user.Id(), initial.UserId);
        Assert.Equal(user.Id("private_project_id"), initial.ProjectId);

        var engineering = await admin.CreateGroupAsync();
        var research = await admin.CreateGroupAsync();
        await (await admin.PostAsJsonAsync($"v1/manage/group/{engineering.Id()}/member", new { user_id = user.Id() })).ReadJsonAsync(HttpStatusCode.Created);
        await (await admin.PostAsJsonAsync($"v1/manage/group/{research.Id()}/member", new { user_id = user.Id() })).ReadJsonAsync(HttpStatusCode.Created);
        var inGroups = await ContextAsync();
        Assert.Equal(new[] { engineering.Id(), research.Id() }.Order(), inGroups.GroupIds.Order());
        Assert.True(inGroups.Version > initial.Version);

        await (await admin.SendAsync(HttpMethod.Patch, $"v1/manage/user/{user.Id()}", new { role = "admin" })).ReadJsonAsync(HttpStatusCode.OK);
        var promoted = await ContextAsync();
        Assert.Equal(ApiKeyRoles.Admin, promoted.Role);
        Assert.True(promoted.Version > inGroups.Version);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"v1/manage/group/{engineering.Id()}/member/{user.Id()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"v1/manage/group/{research.Id()}")).StatusCode);
        var left = await ContextAsync();
        Assert.Empty(left.GroupIds);
        Assert.True(left.Version > promoted.Version);

        // The key's stream holds the same story: its events fold to the context the read side serves.
        var store = (EventStore)fixture.Host.Services.GetService(typeof(EventStore))!;
        var history = await store.ReadStreamAsync(keyId, default);
        Assert.Equal(6, history.Count); // created, 2 joins, role, leave, group deleted
        var upserted = Assert.IsType<ApiKeyUpserted>(IntegrationEventMapper.Map(history[^1], history));
        Assert.Equal(left with { }, upserted.Key with { GroupIds = left.GroupIds, Permissions = left.Permissions });
        Assert.Empty(upserted.Key.GroupIds);
        Assert.Equal(left.Version, upserted.Key.Version);

        var all = await internalClient.GetFromJsonAsync<List<ApiKeyContext>>("internal/keys");
        Assert.Equal(ApiKeyRoles.Admin, all!.Single(k => k.KeyHash == ApiKeySecret.Hash(fixture.AdminKey)).Role);
    }

    [Fact]
    public void Upserted_events_carry_the_access_of_the_event_they_come_from()
    {
        var keyId = Guid.NewGuid();
        var groupA = Guid.NewGuid();
        var metadata = new EventMetadata("test");
        var at = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        var created = new ApiKeyCreated(keyId, Guid.NewGuid(), "k", "hash", "rqsty-sk-abc", ["chat"], null,
            new Dictionary<string, string>(), null, Guid.NewGuid(), null, Guid.NewGuid(), null, "member", []);
        StoredEvent[] history =
        [
            new(10, keyId, ApiKey.StreamType, 1, "api_key.created", created, metadata, at),
            new(11, keyId, ApiKey.StreamType, 2, "api_key.access_changed", new ApiKeyAccessChanged("member", [groupA]), metadata, at),
            new(12, keyId, ApiKey.StreamType, 3, "api_key.access_changed", new ApiKeyAccessChanged("admin", []), metadata, at),
        ];

        var contexts = history.Select(e => Assert.IsType<ApiKeyUpserted>(IntegrationEventMapper.Map(e, history)).Key).ToArray();
        Assert.Equal([1L, 2L, 3L], contexts.Select(c => c.Version));
        Assert.Equal(["member", "member", "admin"], contexts.Select(c => c.Role));
        Assert.Equal([0, 1, 0], contexts.Select(c => c.GroupIds.Count));
        Assert.Equal(groupA, contexts[1].GroupIds.Single());

        // Keys written before roles existed: a user's key acts as member, a key without a user as admin.
        var legacy = created with { Role = null, GroupIds = null };
        Assert.Equal("member", ApiKey.FromHistory([legacy])!.Role);
        Assert.Equal("admin", ApiKey.FromHistory([legacy with { UserId = null }])!.Role);
    }
}
