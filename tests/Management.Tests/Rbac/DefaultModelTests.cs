using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Requesty.Contracts.Keys;
using Requesty.Management.Domain.ApiKeys;
using Requesty.Management.Tests.Identity;
using Requesty.Management.Tests.Messaging;
using Requesty.Management.Tests.Support;
using Requesty.TestKit;

namespace Requesty.Management.Tests.Rbac;

/// <summary>The organisation's default_model reaches the router in every key context (GET /internal/keys and ApiKeyUpserted).</summary>
public sealed class DefaultModelTests(ManagementHostFixture fixture) : IClassFixture<ManagementHostFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Changing_the_default_model_republishes_every_live_key_of_the_organisation()
    {
        await using var upserts = await RabbitMqProbe.BindAsync("Requesty.Contracts.Management:ApiKeyUpserted");
        using var admin = fixture.Client();
        using var internalClient = InternalClient();
        var user = await admin.CreateUserAsync("member");
        var (keyId, key) = await admin.CreateUserKeyAsync(user.Id(), "chat");
        var hash = ApiKeySecret.Hash(key);
        async Task<ApiKeyContext> ContextAsync(string keyHash) => (await internalClient.GetFromJsonAsync<ApiKeyContext>($"internal/keys/{keyHash}"))!;

        var before = await ContextAsync(hash);
        var model = "openai/gpt-4o-mini-" + Guid.NewGuid().ToString("N")[..6];
        Assert.NotEqual(model, before.DefaultModel);

        await (await admin.PatchAsJsonAsync("v1/manage/org", new { default_model = model })).ReadJsonAsync(HttpStatusCode.OK);

        var after = await ContextAsync(hash);
        Assert.Equal(model, after.DefaultModel);
        Assert.True(after.Version > before.Version);
        var adminKey = await ContextAsync(ApiKeySecret.Hash(fixture.AdminKey));
        Assert.Equal(model, adminKey.DefaultModel);
        var all = await internalClient.GetFromJsonAsync<List<ApiKeyContext>>("internal/keys");
        Assert.All(all!.Where(k => k.OrganizationId == after.OrganizationId), k => Assert.Equal(model, k.DefaultModel));

        var published = await upserts.WaitForAsync(
            m => m["key"]?["apiKeyId"]?.GetValue<Guid>() == keyId && m["key"]!["version"]!.GetValue<long>() == after.Version, Timeout);
        Assert.Equal(model, published["key"]!["defaultModel"]!.GetValue<string>());

        // A key created afterwards carries the default from its first event on.
        var (laterId, laterKey) = await admin.CreateUserKeyAsync(user.Id(), "chat");
        Assert.Equal(model, (await ContextAsync(ApiKeySecret.Hash(laterKey))).DefaultModel);
        var created = await upserts.WaitForAsync(m => m["key"]?["apiKeyId"]?.GetValue<Guid>() == laterId, Timeout);
        Assert.Equal(model, created["key"]!["defaultModel"]!.GetValue<string>());

        // Clearing it republishes null; a PATCH that leaves it alone appends nothing to the keys.
        await (await admin.PatchAsJsonAsync("v1/manage/org", new { default_model = (string?)null })).ReadJsonAsync(HttpStatusCode.OK);
        var cleared = await ContextAsync(hash);
        Assert.Null(cleared.DefaultModel);
        Assert.True(cleared.Version > after.Version);
        await (await admin.PatchAsJsonAsync("v1/manage/org", new { default_user_monthly_limit = 3m })).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(cleared.Version, (await ContextAsync(hash)).Version);
    }

    private HttpClient InternalClient()
    {
        var client = fixture.Host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestServers.InternalToken);
        return client;
    }
}
