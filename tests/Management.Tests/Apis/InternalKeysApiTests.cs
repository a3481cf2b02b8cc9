using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Requesty.Contracts.Keys;
using Requesty.Management.Domain.ApiKeys;
using Requesty.Management.Tests.Support;
using Requesty.TestKit;

namespace Requesty.Management.Tests.Apis;

public sealed class InternalKeysApiTests(ManagementHostFixture fixture) : IClassFixture<ManagementHostFixture>
{
    [Theory]
    [InlineData(null)]
    [InlineData("wrong-token")]
    public async Task Internal_routes_require_the_internal_token(string? token)
    {
        using var client = fixture.Host.CreateClient();
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        await (await client.GetAsync("internal/keys")).ReadProblemAsync(HttpStatusCode.Unauthorized);
        await (await client.GetAsync($"internal/keys/{ApiKeySecret.Hash(fixture.AdminKey)}")).ReadProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_api_key_is_not_the_internal_token()
    {
        using var client = fixture.Client();
        await (await client.GetAsync("internal/keys")).ReadProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Keys_are_served_as_camelCase_ApiKeyContext_by_hash()
    {
        using var admin = fixture.Client();
        var created = await admin.CreateKeyAsync(new { name = "router sees me", monthly_limit = 7.5m, permissions = new[] { "chat" } });
        var hash = ApiKeySecret.Hash(created["key"]!.GetValue<string>());
        await admin.PostAsJsonAsync($"v1/manage/apikey/{created["id"]}/limit", new { monthly_limit = 8 });

        using var internalClient = InternalClient();
        var raw = await (await internalClient.GetAsync($"internal/keys/{hash}")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.NotNull(raw["keyHash"]);
        Assert.NotNull(raw["monthlyLimitUsd"]);

        var context = await internalClient.GetFromJsonAsync<ApiKeyContext>($"internal/keys/{hash}");
        Assert.NotNull(context);
        Assert.Equal(hash, context.KeyHash);
        Assert.Equal(created["id"]!.GetValue<Guid>(), context.ApiKeyId);
        Assert.Equal(8m, context.MonthlyLimitUsd);
        Assert.Equal(["chat"], context.Permissions);
        Assert.Equal(2, context.Version);

        var all = await internalClient.GetFromJsonAsync<List<ApiKeyContext>>("internal/keys");
        Assert.Contains(all!, k => k.KeyHash == hash);
        Assert.Contains(all!, k => k.KeyHash == ApiKeySecret.Hash(fixture.AdminKey));
    }

    [Fact]
    public async Task Deleted_and_unknown_keys_are_404_and_missing_from_the_list()
    {
        using var admin = fixture.Client();
        var created = await admin.CreateKeyAsync(new { name = "revoked soon" });
        var hash = ApiKeySecret.Hash(created["key"]!.GetValue<string>());
        await admin.DeleteAsync($"v1/manage/apikey/{created["id"]}");

        using var internalClient = InternalClient();
        await (await internalClient.GetAsync($"internal/keys/{hash}")).ReadProblemAsync(HttpStatusCode.NotFound);
        await (await internalClient.GetAsync($"internal/keys/{ApiKeySecret.Hash("nope")}")).ReadProblemAsync(HttpStatusCode.NotFound);
        var all = await internalClient.GetFromJsonAsync<List<ApiKeyContext>>("internal/keys");
        Assert.DoesNotContain(all!, k => k.KeyHash == hash);
    }

    private HttpClient InternalClient()
    {
        var client = fixture.Host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestServers.InternalToken);
        return client;
    }
}
