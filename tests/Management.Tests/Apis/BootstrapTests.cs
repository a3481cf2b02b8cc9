using System.Net;
using Requesty.Management.Domain.ApiKeys;
using Requesty.Management.Tests.Support;
using Requesty.TestKit;

namespace Requesty.Management.Tests.Apis;

public sealed class BootstrapTests
{
    [Fact]
    public async Task Restarting_with_the_same_admin_key_keeps_one_organisation()
    {
        var adminKey = ApiKeySecret.Generate();
        Guid firstOrganization;
        await using (var first = await ManagementHostFixture.StartHostAsync(adminKey, "Bootstrap once"))
            firstOrganization = await OrganizationIdAsync(first, adminKey);

        await using var second = await ManagementHostFixture.StartHostAsync(adminKey, "Bootstrap once");
        Assert.Equal(firstOrganization, await OrganizationIdAsync(second, adminKey));
        Assert.Equal(1L, await CountKeysWithHashAsync(adminKey));
    }

    [Fact]
    public async Task Two_instances_starting_together_create_one_organisation()
    {
        var adminKey = ApiKeySecret.Generate();
        var starts = await Task.WhenAll(
            ManagementHostFixture.StartHostAsync(adminKey, "Bootstrap race"),
            ManagementHostFixture.StartHostAsync(adminKey, "Bootstrap race"));
        try
        {
            Assert.Equal(await OrganizationIdAsync(starts[0], adminKey), await OrganizationIdAsync(starts[1], adminKey));
            Assert.Equal(1L, await CountKeysWithHashAsync(adminKey));
        }
        finally
        {
            foreach (var host in starts) await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task Different_admin_keys_get_different_organisations()
    {
        var keyA = ApiKeySecret.Generate();
        var keyB = ApiKeySecret.Generate();
        await using var hostA = await ManagementHostFixture.StartHostAsync(keyA, "Org A");
        await using var hostB = await ManagementHostFixture.StartHostAsync(keyB, "Org B");
        Assert.NotEqual(await OrganizationIdAsync(hostA, keyA), await OrganizationIdAsync(hostB, keyB));
    }

    [Fact]
    public async Task The_bootstrapped_key_is_an_admin_key_and_readiness_is_green()
    {
        var adminKey = ApiKeySecret.Generate();
        await using var host = await ManagementHostFixture.StartHostAsync(adminKey, "Ready org");
        using var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", adminKey);

        var list = await (await client.GetAsync("v1/manage/apikey")).ReadJsonAsync(HttpStatusCode.OK);
        var admin = Assert.Single(list["api_keys"]!.AsArray());
        Assert.Equal("admin", admin!["name"]!.GetValue<string>());
        Assert.Equal(["chat", "manage_read", "manage_write"], admin["permissions"]!.AsArray().Select(p => p!.GetValue<string>()));

        var ready = await Eventually.GetAsync(async () =>
        {
            using var response = await client.GetAsync("readyz");
            return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadAsStringAsync() : null;
        }, TimeSpan.FromSeconds(30), "readyz should turn healthy once PostgreSQL and the bus are up");
        Assert.Contains("postgres", ready);
        Assert.Contains("masstransit", ready, StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<Guid> OrganizationIdAsync(ServiceHost host, string adminKey)
    {
        using var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", adminKey);
        var org = await (await client.GetAsync("v1/manage/org")).ReadJsonAsync(HttpStatusCode.OK);
        return org["id"]!.GetValue<Guid>();
    }

    private static async Task<long> CountKeysWithHashAsync(string key)
    {
        await using var database = Npgsql.NpgsqlDataSource.Create(TestServers.Postgres);
        await using var command = database.CreateCommand("SELECT count(*) FROM management.api_keys WHERE key_hash = @hash");
        command.Parameters.AddWithValue("hash", ApiKeySecret.Hash(key));
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
