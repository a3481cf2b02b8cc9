using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Requesty.Management.Tests.Identity;
using Requesty.Management.Tests.Support;
using static Requesty.Management.Tests.TimeTravel.AsOfRequests;

namespace Requesty.Management.Tests.TimeTravel;

/// <summary>?as_of on users, groups, service accounts and projects: folded from their streams.</summary>
public sealed class IdentityAsOfTests(ManagementHostFixture fixture) : IClassFixture<ManagementHostFixture>
{
    [Fact]
    public async Task A_user_as_of_before_a_change_has_the_old_role_limit_groups_and_status()
    {
        using var admin = fixture.Client();
        var user = await admin.CreateUserAsync("member", extra: new { monthly_limit = 5m });
        var createdAt = user["created_at"]!.GetValue<DateTime>();
        var group = await admin.CreateGroupAsync();
        await (await admin.PostAsJsonAsync($"v1/manage/group/{group.Id()}/member", new { user_id = user.Id() })).ReadJsonAsync(HttpStatusCode.Created);
        await admin.CreateUserKeyAsync(user.Id(), "chat");
        var changed = await (await admin.SendAsync(HttpMethod.Patch, $"v1/manage/user/{user.Id()}", new { role = "admin", monthly_limit = 9m }))
            .ReadJsonAsync(HttpStatusCode.OK);
        Assert.True(changed["updated_at"]!.GetValue<DateTime>() > createdAt);

        var then = await OkAsync(admin, $"v1/manage/user/{user.Id()}?as_of={Iso(createdAt)}");
        Assert.Equal("member", then["role"]!.GetValue<string>());
        Assert.Equal(5m, then["monthly_limit"]!.GetValue<decimal>());
        Assert.Equal("inactive", then["status"]!.GetValue<string>());
        Assert.Empty(then["groups"]!.AsArray());
        Assert.Equal(1, then["version"]!.GetValue<long>());
        Assert.Equal(user["email"]!.GetValue<string>(), then["email"]!.GetValue<string>());

        var now = await OkAsync(admin, $"v1/manage/user/{user.Id()}");
        Assert.Equal("admin", now["role"]!.GetValue<string>());
        Assert.Equal("active", now["status"]!.GetValue<string>());
        Assert.Equal(group.Id(), now["groups"]!.AsArray().Single()!.Id());
        var future = await OkAsync(admin, $"v1/manage/user/{user.Id()}?as_of={Iso(DateTime.UtcNow.AddYears(1))}");
        Assert.Equal(9m, future["monthly_limit"]!.GetValue<decimal>());
        Assert.Equal("active", future["status"]!.GetValue<string>());
        Assert.Equal(group.Id(), future["groups"]!.AsArray().Single()!.Id());

        await NotFoundAsync(admin, $"v1/manage/user/{user.Id()}?as_of={Iso(createdAt.AddSeconds(-1))}");
    }

    [Fact]
    public async Task A_deleted_user_is_404_now_and_visible_as_of_before_the_deletion()
    {
        using var admin = fixture.Client();
        var user = await admin.CreateUserAsync("member");
        var createdAt = user["created_at"]!.GetValue<DateTime>();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"v1/manage/user/{user.Id()}")).StatusCode);

        await NotFoundAsync(admin, $"v1/manage/user/{user.Id()}");
        await NotFoundAsync(admin, $"v1/manage/user/{user.Id()}?as_of={Iso(DateTime.UtcNow.AddMinutes(5))}");
        Assert.Equal(user.Id(), (await OkAsync(admin, $"v1/manage/user/{user.Id()}?as_of={Iso(createdAt)}")).Id());
    }

    [Fact]
    public async Task A_group_as_of_an_instant_has_the_members_and_budget_of_that_instant()
    {
        using var admin = fixture.Client();
        var alice = await admin.CreateUserAsync(email: "a-" + IdentityHttp.UniqueEmail());
        var bob = await admin.CreateUserAsync(email: "b-" + IdentityHttp.UniqueEmail());
        var group = await (await admin.PostAsJsonAsync("v1/manage/group", new { name = "Travel", monthly_budget = 50m, member_monthly_limit = 5m }))
            .ReadJsonAsync(HttpStatusCode.Created);
        var withAlice = await (await admin.PostAsJsonAsync($"v1/manage/group/{group.Id()}/member", new { user_id = alice.Id(), role = "admin" }))
            .ReadJsonAsync(HttpStatusCode.Created);
        var aliceJoinedAt = withAlice["updated_at"]!.GetValue<DateTime>();
        await (await admin.PostAsJsonAsync($"v1/manage/group/{group.Id()}/member", new { user_id = bob.Id() })).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"v1/manage/group/{group.Id()}/member/{alice.Id()}")).StatusCode);
        await (await admin.SendAsync(HttpMethod.Patch, $"v1/manage/group/{group.Id()}", new { name = "Renamed", member_monthly_limit = 8m }))
            .ReadJsonAsync(HttpStatusCode.OK);

        var then = await OkAsync(admin, $"v1/manage/group/{group.Id()}?as_of={Iso(aliceJoinedAt)}");
        Assert.Equal("Travel", then["name"]!.GetValue<string>());
        Assert.Equal(5m, then["member_monthly_limit"]!.GetValue<decimal>());
        Assert.Equal(1, then["member_count"]!.GetValue<int>());
        Assert.Equal(2, then["version"]!.GetValue<long>());
        var member = then["members"]!.AsArray().Single()!;
        Assert.Equal(alice.Id(), member.Id("user_id"));
        Assert.Equal("admin", member["role"]!.GetValue<string>());
        Assert.Equal(alice["email"]!.GetValue<string>(), member["email"]!.GetValue<string>());
        Assert.Equal(aliceJoinedAt, member["added_at"]!.GetValue<DateTime>());

        var now = await OkAsync(admin, $"v1/manage/group/{group.Id()}");
        Assert.Equal("Renamed", now["name"]!.GetValue<string>());
        Assert.Equal(bob.Id(), now["members"]!.AsArray().Single()!.Id("user_id"));
        var future = await OkAsync(admin, $"v1/manage/group/{group.Id()}?as_of={Iso(DateTime.UtcNow.AddDays(1))}");
        Assert.Equal(now["version"]!.GetValue<long>(), future["version"]!.GetValue<long>());
        Assert.Equal(bob.Id(), future["members"]!.AsArray().Single()!.Id("user_id"));

        // Alice's groups as of then come from the group's stream too.
        var aliceThen = await OkAsync(admin, $"v1/manage/user/{alice.Id()}?as_of={Iso(aliceJoinedAt)}");
        Assert.Equal(group.Id(), aliceThen["groups"]!.AsArray().Single()!.Id());
        Assert.Empty((await OkAsync(admin, $"v1/manage/user/{alice.Id()}"))["groups"]!.AsArray());

        await NotFoundAsync(admin, $"v1/manage/group/{group.Id()}?as_of={Iso(group["created_at"]!.GetValue<DateTime>().AddSeconds(-1))}");
    }

    [Fact]
    public async Task A_service_account_as_of_an_instant_has_the_key_count_of_then_and_is_404_after_its_deletion()
    {
        using var admin = fixture.Client();
        var account = await (await admin.PostAsJsonAsync("v1/manage/service-account", new { name = "ci bot" })).ReadJsonAsync(HttpStatusCode.Created);
        var createdAt = account["created_at"]!.GetValue<DateTime>();
        var key = await admin.CreateKeyAsync(new { name = "ci", service_account_id = account.Id() });
        var keyCreatedAt = key["created_at"]!.GetValue<DateTime>();
        Assert.Equal(1, (await OkAsync(admin, $"v1/manage/service-account/{account.Id()}"))["api_key_count"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"v1/manage/apikey/{key.Id()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"v1/manage/service-account/{account.Id()}")).StatusCode);

        Assert.Equal(0, (await OkAsync(admin, $"v1/manage/service-account/{account.Id()}?as_of={Iso(createdAt)}"))["api_key_count"]!.GetValue<int>());
        var withKey = await OkAsync(admin, $"v1/manage/service-account/{account.Id()}?as_of={Iso(keyCreatedAt)}");
        Assert.Equal(1, withKey["api_key_count"]!.GetValue<int>());
        Assert.Equal("ci bot", withKey["name"]!.GetValue<string>());
        await NotFoundAsync(admin, $"v1/manage/service-account/{account.Id()}");
        await NotFoundAsync(admin, $"v1/manage/service-account/{account.Id()}?as_of={Iso(DateTime.UtcNow.AddMinutes(5))}");
        await NotFoundAsync(admin, $"v1/manage/service-account/{account.Id()}?as_of={Iso(createdAt.AddSeconds(-1))}");
    }

    [Fact]
    public async Task A_project_as_of_before_a_change_has_the_old_name_and_limit()
    {
        using var admin = fixture.Client();
        var project = await (await admin.PostAsJsonAsync("v1/manage/project", new { name = "Website", monthly_limit = 5m })).ReadJsonAsync(HttpStatusCode.Created);
        var createdAt = project["created_at"]!.GetValue<DateTime>();
        await (await admin.SendAsync(HttpMethod.Patch, $"v1/manage/project/{project.Id()}", new { name = "Web", monthly_limit = 7m }))
            .ReadJsonAsync(HttpStatusCode.OK);

        var then = await OkAsync(admin, $"v1/manage/project/{project.Id()}?as_of={Iso(createdAt)}");
        Assert.Equal("Website", then["name"]!.GetValue<string>());
        Assert.Equal(5m, then["monthly_limit"]!.GetValue<decimal>());
        Assert.Equal("shared", then["kind"]!.GetValue<string>());
        Assert.Equal(1, then["version"]!.GetValue<long>());
        var now = await OkAsync(admin, $"v1/manage/project/{project.Id()}");
        Assert.Equal("Web", now["name"]!.GetValue<string>());
        Assert.Equal(7m, (await OkAsync(admin, $"v1/manage/project/{project.Id()}?as_of={Iso(DateTime.UtcNow.AddYears(1))}"))["monthly_limit"]!.GetValue<decimal>());
        await NotFoundAsync(admin, $"v1/manage/project/{project.Id()}?as_of={Iso(createdAt.AddSeconds(-1))}");
    }
}
