using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Requesty.Management.Tests.Identity;
using Requesty.Management.Tests.Support;

namespace Requesty.Management.Tests.Rbac;

public sealed class RbacTests(ManagementHostFixture fixture) : IClassFixture<ManagementHostFixture>
{
    private async Task<(JsonNode User, HttpClient Client, Guid KeyId)> MemberAsync(HttpClient admin)
    {
        var user = await admin.CreateUserAsync("member");
        var (keyId, key) = await admin.CreateUserKeyAsync(user.Id());
        return (user, fixture.Client(key), keyId);
    }

    [Fact]
    public async Task A_member_sees_and_changes_only_their_own_keys()
    {
        using var admin = fixture.Client();
        var (user, member, ownKeyId) = await MemberAsync(admin);
        using var _ = member;
        var adminKeys = await (await admin.GetAsync("v1/manage/apikey")).ReadJsonAsync(HttpStatusCode.OK);
        var adminKeyId = adminKeys["api_keys"]!.AsArray().Single(k => k!["name"]!.GetValue<string>() == "admin")!.Id();

        var created = await member.CreateKeyAsync(new { name = "my laptop" });
        Assert.Equal(user.Id(), created.Id("user_id"));
        Assert.Equal(user.Id("private_project_id"), created.Id("project_id"));

        var list = await (await member.GetAsync("v1/manage/apikey")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(new[] { ownKeyId, created.Id() }.Order(), list["api_keys"]!.AsArray().Select(k => k!.Id()).Order());

        await (await member.GetAsync($"v1/manage/apikey/{adminKeyId}")).ReadProblemAsync(HttpStatusCode.NotFound);
        await (await member.PostAsJsonAsync($"v1/manage/apikey/{adminKeyId}/limit", new { monthly_limit = 1 })).ReadProblemAsync(HttpStatusCode.NotFound);
        await (await member.DeleteAsync($"v1/manage/apikey/{adminKeyId}")).ReadProblemAsync(HttpStatusCode.NotFound);
        await (await member.PostAsJsonAsync($"v1/manage/apikey/{created.Id()}/limit", new { monthly_limit = 2 })).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.NoContent, (await member.DeleteAsync($"v1/manage/apikey/{created.Id()}")).StatusCode);

        var other = await admin.CreateUserAsync();
        var forOther = await member.PostAsJsonAsync("v1/manage/apikey", new { name = "for bob", user_id = other.Id() });
        await forOther.ReadProblemAsync(HttpStatusCode.Forbidden);
        var account = await (await admin.PostAsJsonAsync("v1/manage/service-account", new { name = "bot" })).ReadJsonAsync(HttpStatusCode.Created);
        await (await member.PostAsJsonAsync("v1/manage/apikey", new { name = "bot key", service_account_id = account.Id() }))
            .ReadProblemAsync(HttpStatusCode.Forbidden);
        // Another user's private project is invisible to a member.
        await (await member.PostAsJsonAsync("v1/manage/apikey", new { name = "x", project_id = other.Id("private_project_id") }))
            .ReadProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_member_cannot_write_users_groups_service_accounts_projects_policies_or_settings()
    {
        using var admin = fixture.Client();
        var (user, member, _) = await MemberAsync(admin);
        using var __ = member;
        var group = await admin.CreateGroupAsync();

        (HttpMethod Method, string Url, object? Body)[] forbidden =
        [
            (HttpMethod.Post, "v1/manage/user", new { email = IdentityHttp.UniqueEmail(), role = "admin" }),
            (HttpMethod.Patch, $"v1/manage/user/{user.Id()}", new { role = "admin" }),
            (HttpMethod.Delete, $"v1/manage/user/{user.Id()}", null),
            (HttpMethod.Post, "v1/manage/group", new { name = "mine" }),
            (HttpMethod.Post, $"v1/manage/group/{group.Id()}/member", new { user_id = user.Id() }),
            (HttpMethod.Delete, $"v1/manage/group/{group.Id()}", null),
            (HttpMethod.Post, "v1/manage/service-account", new { name = "bot" }),
            (HttpMethod.Get, "v1/manage/service-account", null),
            (HttpMethod.Post, "v1/manage/project", new { name = "shared" }),
            (HttpMethod.Patch, $"v1/manage/project/{user.Id("private_project_id")}", new { monthly_limit = 1000 }),
            (HttpMethod.Patch, "v1/manage/org", new { name = "taken over" }),
            (HttpMethod.Post, "v1/manage/policies", new { name = "p", type = "fallback", models = new[] { "openai/gpt-4o" } }),
        ];
        foreach (var (method, url, body) in forbidden)
        {
            var response = await member.SendAsync(method, url, body);
            var problem = await response.ReadProblemAsync(HttpStatusCode.Forbidden);
            Assert.Contains("admin role", problem["detail"]!.GetValue<string>());
        }
        // Nothing changed.
        var stillMember = await (await admin.GetAsync($"v1/manage/user/{user.Id()}")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("member", stillMember["role"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_member_reads_only_their_user_projects_and_groups()
    {
        using var admin = fixture.Client();
        var (user, member, _) = await MemberAsync(admin);
        using var __ = member;
        var other = await admin.CreateUserAsync();
        var shared = await (await admin.PostAsJsonAsync("v1/manage/project", new { name = "team" })).ReadJsonAsync(HttpStatusCode.Created);
        var mine = await admin.CreateGroupAsync();
        var notMine = await admin.CreateGroupAsync();
        await (await admin.PostAsJsonAsync($"v1/manage/group/{mine.Id()}/member", new { user_id = user.Id() })).ReadJsonAsync(HttpStatusCode.Created);

        var users = await (await member.GetAsync("v1/manage/user")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal([user.Id()], users["users"]!.AsArray().Select(u => u!.Id()));
        await (await member.GetAsync($"v1/manage/user/{user.Id()}")).ReadJsonAsync(HttpStatusCode.OK);
        await (await member.GetAsync($"v1/manage/user/{other.Id()}")).ReadProblemAsync(HttpStatusCode.NotFound);

        var projects = await (await member.GetAsync("v1/manage/project")).ReadJsonAsync(HttpStatusCode.OK);
        var visible = projects["projects"]!.AsArray().Select(p => p!.Id()).ToHashSet();
        Assert.Contains(user.Id("private_project_id"), visible);
        Assert.Contains(shared.Id(), visible);
        Assert.DoesNotContain(other.Id("private_project_id"), visible);
        Assert.All(projects["projects"]!.AsArray(), p => Assert.True(p!["kind"]!.GetValue<string>() == "shared" || p.Id("owner_user_id") == user.Id()));
        await (await member.GetAsync($"v1/manage/project/{other.Id("private_project_id")}")).ReadProblemAsync(HttpStatusCode.NotFound);
        await (await member.GetAsync($"v1/manage/project/{shared.Id()}")).ReadJsonAsync(HttpStatusCode.OK);

        var groups = await (await member.GetAsync("v1/manage/group")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal([mine.Id()], groups["groups"]!.AsArray().Select(g => g!.Id()));
        await (await member.GetAsync($"v1/manage/group/{notMine.Id()}")).ReadProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_read_only_admin_key_cannot_write()
    {
        using var admin = fixture.Client();
        var readOnly = await admin.CreateKeyAsync(new { name = "auditor", permissions = new[] { "manage_read" } });
        using var client = fixture.Client(readOnly["key"]!.GetValue<string>());

        await (await client.GetAsync("v1/manage/user")).ReadJsonAsync(HttpStatusCode.OK);
        await (await client.GetAsync("v1/manage/service-account")).ReadJsonAsync(HttpStatusCode.OK);
        foreach (var (url, body) in new (string, object)[]
                 {
                     ("v1/manage/user", new { email = IdentityHttp.UniqueEmail(), role = "member" }),
                     ("v1/manage/group", new { name = "g" }),
                     ("v1/manage/service-account", new { name = "s" }),
                     ("v1/manage/project", new { name = "p" }),
                 })
        {
            var problem = await (await client.PostAsJsonAsync(url, body)).ReadProblemAsync(HttpStatusCode.Forbidden);
            Assert.Contains("manage_write", problem["detail"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task A_service_account_key_acts_as_admin()
    {
        using var admin = fixture.Client();
        var account = await (await admin.PostAsJsonAsync("v1/manage/service-account", new { name = "provisioner" })).ReadJsonAsync(HttpStatusCode.Created);
        var key = await admin.CreateKeyAsync(new { name = "prov", service_account_id = account.Id(), permissions = new[] { "manage_read", "manage_write" } });
        using var client = fixture.Client(key["key"]!.GetValue<string>());
        await client.CreateUserAsync();
        var list = await (await client.GetAsync("v1/manage/apikey")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Contains(list["api_keys"]!.AsArray(), k => k!["name"]!.GetValue<string>() == "admin");
    }

    [Fact]
    public async Task Another_organisations_ids_are_not_found()
    {
        var otherAdminKey = Requesty.Management.Domain.ApiKeys.ApiKeySecret.Generate();
        await using var otherHost = await ManagementHostFixture.StartHostAsync(otherAdminKey, "Other org " + Guid.NewGuid().ToString("N")[..6]);
        using var otherAdmin = otherHost.CreateClient();
        otherAdmin.DefaultRequestHeaders.Authorization = new("Bearer", otherAdminKey);
        var foreignUser = await otherAdmin.CreateUserAsync();
        var foreignGroup = await otherAdmin.CreateGroupAsync();
        var foreignAccount = await (await otherAdmin.PostAsJsonAsync("v1/manage/service-account", new { name = "theirs" })).ReadJsonAsync(HttpStatusCode.Created);
        var foreignProject = await (await otherAdmin.PostAsJsonAsync("v1/manage/project", new { name = "theirs" })).ReadJsonAsync(HttpStatusCode.Created);

        using var admin = fixture.Client();
        var mine = await admin.CreateUserAsync();
        (HttpMethod Method, string Url, object? Body)[] requests =
        [
            (HttpMethod.Get, $"v1/manage/user/{foreignUser.Id()}", null),
            (HttpMethod.Patch, $"v1/manage/user/{foreignUser.Id()}", new { role = "admin" }),
            (HttpMethod.Delete, $"v1/manage/user/{foreignUser.Id()}", null),
            (HttpMethod.Get, $"v1/manage/group/{foreignGroup.Id()}", null),
            (HttpMethod.Patch, $"v1/manage/group/{foreignGroup.Id()}", new { name = "mine now" }),
            (HttpMethod.Post, $"v1/manage/group/{foreignGroup.Id()}/member", new { user_id = mine.Id() }),
            (HttpMethod.Delete, $"v1/manage/group/{foreignGroup.Id()}", null),
            (HttpMethod.Get, $"v1/manage/service-account/{foreignAccount.Id()}", null),
            (HttpMethod.Delete, $"v1/manage/service-account/{foreignAccount.Id()}", null),
            (HttpMethod.Get, $"v1/manage/project/{foreignProject.Id()}", null),
            (HttpMethod.Patch, $"v1/manage/project/{foreignProject.Id()}", new { monthly_limit = 1 }),
            (HttpMethod.Delete, $"v1/manage/project/{foreignProject.Id()}", null),
            (HttpMethod.Post, "v1/manage/apikey", new { name = "x", user_id = foreignUser.Id() }),
            (HttpMethod.Post, "v1/manage/apikey", new { name = "x", service_account_id = foreignAccount.Id() }),
            (HttpMethod.Post, "v1/manage/apikey", new { name = "x", project_id = foreignProject.Id() }),
        ];
        foreach (var (method, url, body) in requests)
            await (await admin.SendAsync(method, url, body)).ReadProblemAsync(HttpStatusCode.NotFound);

        // A foreign user cannot join one of our groups either.
        var group = await admin.CreateGroupAsync();
        await (await admin.PostAsJsonAsync($"v1/manage/group/{group.Id()}/member", new { user_id = foreignUser.Id() })).ReadProblemAsync(HttpStatusCode.NotFound);
    }
}
