using System.Net;
using System.Net.Http.Json;
using Requesty.Management.Tests.Support;

namespace Requesty.Management.Tests.Identity;

public sealed class GroupsApiTests(ManagementHostFixture fixture) : IClassFixture<ManagementHostFixture>
{
    [Fact]
    public async Task Create_get_update_list_and_delete_a_group()
    {
        using var admin = fixture.Client();
        var created = await (await admin.PostAsJsonAsync("v1/manage/group", new { name = "Marketing", description = "campaigns", monthly_budget = 250m, member_monthly_limit = 12.5m }))
            .ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal("Marketing", created["name"]!.GetValue<string>());
        Assert.Equal("campaigns", created["description"]!.GetValue<string>());
        Assert.Equal(250m, created["monthly_budget"]!.GetValue<decimal>());
        Assert.Equal(12.5m, created["member_monthly_limit"]!.GetValue<decimal>());
        Assert.Empty(created["members"]!.AsArray());

        var patched = await (await admin.SendAsync(HttpMethod.Patch, $"v1/manage/group/{created.Id()}", "{\"name\":\"Growth\",\"monthly_budget\":null}"))
            .ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Growth", patched["name"]!.GetValue<string>());
        Assert.Equal("campaigns", patched["description"]!.GetValue<string>());
        Assert.Null(patched["monthly_budget"]);
        Assert.Equal(12.5m, patched["member_monthly_limit"]!.GetValue<decimal>());
        Assert.Equal(2, patched["version"]!.GetValue<long>());

        var limited = await (await admin.SendAsync(HttpMethod.Patch, $"v1/manage/group/{created.Id()}", "{\"member_monthly_limit\":30}"))
            .ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(30m, limited["member_monthly_limit"]!.GetValue<decimal>());
        Assert.Equal("Growth", limited["name"]!.GetValue<string>());
        var cleared = await (await admin.SendAsync(HttpMethod.Patch, $"v1/manage/group/{created.Id()}", "{\"member_monthly_limit\":null}"))
            .ReadJsonAsync(HttpStatusCode.OK);
        Assert.Null(cleared["member_monthly_limit"]);
        Assert.Equal(4, cleared["version"]!.GetValue<long>());

        var list = await (await admin.GetAsync("v1/manage/group")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Contains(list["groups"]!.AsArray(), g => g!.Id() == created.Id());

        var stale = await admin.SendAsync(HttpMethod.Delete, $"v1/manage/group/{created.Id()}", ifMatch: "\"1\"");
        await stale.ReadProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.SendAsync(HttpMethod.Delete, $"v1/manage/group/{created.Id()}", ifMatch: "\"4\"")).StatusCode);
        await (await admin.GetAsync($"v1/manage/group/{created.Id()}")).ReadProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Members_can_be_added_updated_and_removed()
    {
        using var admin = fixture.Client();
        var group = await admin.CreateGroupAsync();
        var alice = await admin.CreateUserAsync();
        var bob = await admin.CreateUserAsync();
        var url = $"v1/manage/group/{group.Id()}/member";

        var added = await (await admin.PostAsJsonAsync(url, new { user_id = alice.Id(), role = "admin" })).ReadJsonAsync(HttpStatusCode.Created);
        var member = Assert.Single(added["members"]!.AsArray())!;
        Assert.Equal(alice.Id(), member.Id("user_id"));
        Assert.Equal(alice["email"]!.GetValue<string>(), member["email"]!.GetValue<string>());
        Assert.Equal("admin", member["role"]!.GetValue<string>());
        await (await admin.PostAsJsonAsync(url, new { user_id = bob.Id() })).ReadJsonAsync(HttpStatusCode.Created);

        await (await admin.PostAsJsonAsync(url, new { user_id = alice.Id() })).ReadProblemAsync(HttpStatusCode.Conflict);
        await (await admin.PostAsJsonAsync(url, new { user_id = Guid.NewGuid() })).ReadProblemAsync(HttpStatusCode.NotFound);

        var put = await (await admin.SendAsync(HttpMethod.Put, $"{url}/{alice.Id()}", new { role = "member" })).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("member", put["members"]!.AsArray().Single(m => m!.Id("user_id") == alice.Id())!["role"]!.GetValue<string>());
        var patch = await (await admin.SendAsync(HttpMethod.Patch, $"{url}/{bob.Id()}", new { role = "admin" })).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("admin", patch["members"]!.AsArray().Single(m => m!.Id("user_id") == bob.Id())!["role"]!.GetValue<string>());
        Assert.Equal(2, patch["member_count"]!.GetValue<int>());

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"{url}/{alice.Id()}")).StatusCode);
        await (await admin.DeleteAsync($"{url}/{alice.Id()}")).ReadProblemAsync(HttpStatusCode.NotFound);
        await (await admin.SendAsync(HttpMethod.Put, $"{url}/{alice.Id()}", new { role = "admin" })).ReadProblemAsync(HttpStatusCode.NotFound);
        var after = await (await admin.GetAsync($"v1/manage/group/{group.Id()}")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal([bob.Id()], after["members"]!.AsArray().Select(m => m!.Id("user_id")));
    }

    [Fact]
    public async Task Validation_errors_name_the_fields()
    {
        using var admin = fixture.Client();
        var create = await admin.PostAsJsonAsync("v1/manage/group", new { name = " ", monthly_budget = -5, member_monthly_limit = -1, description = new string('x', 1001) });
        Assert.Equal(["description", "member_monthly_limit", "monthly_budget", "name"], (await create.ReadProblemAsync(HttpStatusCode.BadRequest)).Fields());

        var group = await admin.CreateGroupAsync();
        var addMember = await admin.PostAsJsonAsync($"v1/manage/group/{group.Id()}/member", new { role = "owner" });
        Assert.Equal(["role", "user_id"], (await addMember.ReadProblemAsync(HttpStatusCode.BadRequest)).Fields());
        var user = await admin.CreateUserAsync();
        var update = await admin.SendAsync(HttpMethod.Put, $"v1/manage/group/{group.Id()}/member/{user.Id()}", "{}");
        Assert.Equal(["role"], (await update.ReadProblemAsync(HttpStatusCode.BadRequest)).Fields());
    }
}
