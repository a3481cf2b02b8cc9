using System.Net;
using System.Net.Http.Json;
using Requesty.Management.Tests.Support;

namespace Requesty.Management.Tests.Identity;

public sealed class UsersApiTests(ManagementHostFixture fixture) : IClassFixture<ManagementHostFixture>
{
    [Fact]
    public async Task Create_makes_an_inactive_user_with_a_private_project_and_get_shows_groups()
    {
        using var admin = fixture.Client();
        var email = IdentityHttp.UniqueEmail("alice");
        var user = await admin.CreateUserAsync("member", email, new { monthly_limit = 40.5m });

        Assert.Equal(email, user["email"]!.GetValue<string>());
        Assert.Equal("member", user["role"]!.GetValue<string>());
        Assert.Equal(40.5m, user["monthly_limit"]!.GetValue<decimal>());
        Assert.Equal("inactive", user["status"]!.GetValue<string>());
        Assert.Equal(1, user["version"]!.GetValue<long>());
        Assert.Empty(user["groups"]!.AsArray());

        var project = await (await admin.GetAsync($"v1/manage/project/{user.Id("private_project_id")}")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("private", project["kind"]!.GetValue<string>());
        Assert.Equal(user.Id(), project.Id("owner_user_id"));

        var group = await admin.CreateGroupAsync("Engineering " + Guid.NewGuid().ToString("N")[..4]);
        await (await admin.PostAsJsonAsync($"v1/manage/group/{group.Id()}/member", new { user_id = user.Id(), role = "admin" }))
            .ReadJsonAsync(HttpStatusCode.Created);
        var fetched = await (await admin.GetAsync($"v1/manage/user/{user.Id()}")).ReadJsonAsync(HttpStatusCode.OK);
        var membership = Assert.Single(fetched["groups"]!.AsArray())!;
        Assert.Equal(group.Id(), membership.Id());
        Assert.Equal("admin", membership["role"]!.GetValue<string>());

        var list = await (await admin.GetAsync("v1/manage/user")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Contains(list["users"]!.AsArray(), u => u!.Id() == user.Id());
    }

    [Fact]
    public async Task The_bootstrapped_admin_key_belongs_to_an_admin_user()
    {
        using var admin = fixture.Client();
        var list = await (await admin.GetAsync("v1/manage/user")).ReadJsonAsync(HttpStatusCode.OK);
        var bootstrapped = list["users"]!.AsArray().Single(u => u!["email"]!.GetValue<string>().StartsWith("admin@test-org-", StringComparison.Ordinal))!;
        Assert.Equal("admin", bootstrapped["role"]!.GetValue<string>());
        Assert.Equal("active", bootstrapped["status"]!.GetValue<string>());

        var keys = await (await admin.GetAsync("v1/manage/apikey")).ReadJsonAsync(HttpStatusCode.OK);
        var adminKey = keys["api_keys"]!.AsArray().Single(k => k!["name"]!.GetValue<string>() == "admin")!;
        Assert.Equal(bootstrapped.Id(), adminKey.Id("user_id"));
        Assert.Equal(bootstrapped.Id("private_project_id"), adminKey.Id("project_id"));
    }

    [Fact]
    public async Task Monthly_limit_defaults_to_the_organisation_default_when_omitted_and_null_means_none()
    {
        using var admin = fixture.Client();
        var settings = await admin.SendAsync(HttpMethod.Patch, "v1/manage/org", new { default_user_monthly_limit = 12.5m });
        await settings.ReadJsonAsync(HttpStatusCode.OK);

        var defaulted = await admin.CreateUserAsync();
        Assert.Equal(12.5m, defaulted["monthly_limit"]!.GetValue<decimal>());
        var unlimited = await admin.CreateUserAsync(extra: new { monthly_limit = (decimal?)null });
        Assert.Null(unlimited["monthly_limit"]);
    }

    [Fact]
    public async Task Validation_errors_name_the_fields()
    {
        using var admin = fixture.Client();
        var invalid = await admin.PostAsJsonAsync("v1/manage/user", new { email = "not-an-email", role = "owner", monthly_limit = -1 });
        var problem = await invalid.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["email", "monthly_limit", "role"], problem.Fields());

        var missing = await (await admin.PostJsonAsync("v1/manage/user", "{}")).ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["email", "role"], missing.Fields());

        var user = await admin.CreateUserAsync();
        var badPatch = await admin.SendAsync(HttpMethod.Patch, $"v1/manage/user/{user.Id()}", new { role = "boss", monthly_limit = 1.1234567m });
        Assert.Equal(["monthly_limit", "role"], (await badPatch.ReadProblemAsync(HttpStatusCode.BadRequest)).Fields());
    }

    [Fact]
    public async Task Duplicate_email_is_a_conflict()
    {
        using var admin = fixture.Client();
        var email = IdentityHttp.UniqueEmail("dup");
        await admin.CreateUserAsync(email: email);
        var again = await admin.PostAsJsonAsync("v1/manage/user", new { email = email.ToUpperInvariant(), role = "member" });
        await again.ReadProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Patch_changes_only_what_is_sent_and_null_clears_the_limit()
    {
        using var admin = fixture.Client();
        var user = await admin.CreateUserAsync(extra: new { monthly_limit = 10m });

        var promoted = await (await admin.SendAsync(HttpMethod.Patch, $"v1/manage/user/{user.Id()}", new { role = "admin" })).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("admin", promoted["role"]!.GetValue<string>());
        Assert.Equal(10m, promoted["monthly_limit"]!.GetValue<decimal>());
        Assert.Equal(2, promoted["version"]!.GetValue<long>());

        var cleared = await (await admin.SendAsync(HttpMethod.Patch, $"v1/manage/user/{user.Id()}", "{\"monthly_limit\":null}")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Null(cleared["monthly_limit"]);
        Assert.Equal("admin", cleared["role"]!.GetValue<string>());
    }

    [Fact]
    public async Task Two_writers_with_the_same_if_match_one_gets_409()
    {
        using var admin = fixture.Client();
        var user = await admin.CreateUserAsync();
        var etag = $"\"{user["version"]!.GetValue<long>()}\"";

        var first = await admin.SendAsync(HttpMethod.Patch, $"v1/manage/user/{user.Id()}", new { monthly_limit = 1m }, etag);
        var second = await admin.SendAsync(HttpMethod.Patch, $"v1/manage/user/{user.Id()}", new { monthly_limit = 2m }, etag);
        await first.ReadJsonAsync(HttpStatusCode.OK);
        await second.ReadProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("\"2\"", first.Headers.ETag?.Tag);
    }

    [Fact]
    public async Task A_key_makes_the_user_active_and_blocks_delete_until_it_is_gone()
    {
        using var admin = fixture.Client();
        var user = await admin.CreateUserAsync();
        var (keyId, _) = await admin.CreateUserKeyAsync(user.Id(), "chat");

        var active = await (await admin.GetAsync($"v1/manage/user/{user.Id()}")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("active", active["status"]!.GetValue<string>());
        Assert.Equal(1, active["version"]!.GetValue<long>());

        var blocked = await admin.DeleteAsync($"v1/manage/user/{user.Id()}");
        Assert.Contains("live API key", (await blocked.ReadProblemAsync(HttpStatusCode.Conflict))["detail"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"v1/manage/apikey/{keyId}")).StatusCode);
        var group = await admin.CreateGroupAsync();
        await (await admin.PostAsJsonAsync($"v1/manage/group/{group.Id()}/member", new { user_id = user.Id() })).ReadJsonAsync(HttpStatusCode.Created);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"v1/manage/user/{user.Id()}")).StatusCode);
        await (await admin.GetAsync($"v1/manage/user/{user.Id()}")).ReadProblemAsync(HttpStatusCode.NotFound);
        await (await admin.GetAsync($"v1/manage/project/{user.Id("private_project_id")}")).ReadProblemAsync(HttpStatusCode.NotFound);
        var groupAfter = await (await admin.GetAsync($"v1/manage/group/{group.Id()}")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Empty(groupAfter["members"]!.AsArray());
        await (await admin.DeleteAsync($"v1/manage/user/{user.Id()}")).ReadProblemAsync(HttpStatusCode.NotFound);
    }
}
