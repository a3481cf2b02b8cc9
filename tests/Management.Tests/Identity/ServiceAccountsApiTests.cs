using System.Net;
using System.Net.Http.Json;
using Requesty.Management.Tests.Support;

namespace Requesty.Management.Tests.Identity;

public sealed class ServiceAccountsApiTests(ManagementHostFixture fixture) : IClassFixture<ManagementHostFixture>
{
    [Fact]
    public async Task Keys_of_a_service_account_have_no_user_and_block_its_deletion()
    {
        using var admin = fixture.Client();
        var account = await (await admin.PostAsJsonAsync("v1/manage/service-account", new { name = "Mobile App", description = "iOS + Android" }))
            .ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal("Mobile App", account["name"]!.GetValue<string>());
        Assert.Equal(0, account["api_key_count"]!.GetValue<int>());

        var key = await admin.CreateKeyAsync(new { name = "mobile prod", service_account_id = account.Id() });
        Assert.Equal(account.Id(), key.Id("service_account_id"));
        Assert.Null(key["user_id"]);
        Assert.Null(key["project_id"]);

        var fetched = await (await admin.GetAsync($"v1/manage/service-account/{account.Id()}")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, fetched["api_key_count"]!.GetValue<int>());
        var list = await (await admin.GetAsync("v1/manage/service-account")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Contains(list["service_accounts"]!.AsArray(), a => a!.Id() == account.Id());

        var blocked = await admin.DeleteAsync($"v1/manage/service-account/{account.Id()}");
        Assert.Contains("live API key", (await blocked.ReadProblemAsync(HttpStatusCode.Conflict))["detail"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"v1/manage/apikey/{key.Id()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"v1/manage/service-account/{account.Id()}")).StatusCode);
        await (await admin.GetAsync($"v1/manage/service-account/{account.Id()}")).ReadProblemAsync(HttpStatusCode.NotFound);

        // A deleted (or unknown) service account cannot own new keys.
        await (await admin.PostAsJsonAsync("v1/manage/apikey", new { name = "late", service_account_id = account.Id() }))
            .ReadProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Validation_errors_name_the_fields()
    {
        using var admin = fixture.Client();
        var invalid = await admin.PostAsJsonAsync("v1/manage/service-account", new { name = "", description = new string('d', 1001) });
        Assert.Equal(["description", "name"], (await invalid.ReadProblemAsync(HttpStatusCode.BadRequest)).Fields());

        var user = await admin.CreateUserAsync();
        var both = await admin.PostAsJsonAsync("v1/manage/apikey", new { name = "both", service_account_id = Guid.NewGuid(), user_id = user.Id() });
        Assert.Equal(["service_account_id"], (await both.ReadProblemAsync(HttpStatusCode.BadRequest)).Fields());
    }
}
