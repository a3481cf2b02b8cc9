using System.Net;
using System.Net.Http.Json;
using Requesty.Management.Tests.Support;

namespace Requesty.Management.Tests.Identity;

public sealed class ProjectsApiTests(ManagementHostFixture fixture) : IClassFixture<ManagementHostFixture>
{
    [Fact]
    public async Task Shared_projects_can_be_created_updated_and_deleted_once_keyless()
    {
        using var admin = fixture.Client();
        var project = await (await admin.PostAsJsonAsync("v1/manage/project", new { name = "Research", monthly_limit = 500m }))
            .ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal("shared", project["kind"]!.GetValue<string>());
        Assert.Null(project["owner_user_id"]);
        Assert.Equal(500m, project["monthly_limit"]!.GetValue<decimal>());

        var patched = await (await admin.SendAsync(HttpMethod.Patch, $"v1/manage/project/{project.Id()}", "{\"name\":\"R&D\",\"monthly_limit\":null}", "\"1\""))
            .ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("R&D", patched["name"]!.GetValue<string>());
        Assert.Null(patched["monthly_limit"]);

        var key = await admin.CreateKeyAsync(new { name = "research key", project_id = project.Id() });
        Assert.Equal(project.Id(), key.Id("project_id"));
        var list = await (await admin.GetAsync("v1/manage/project")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, list["projects"]!.AsArray().Single(p => p!.Id() == project.Id())!["api_key_count"]!.GetValue<int>());

        await (await admin.DeleteAsync($"v1/manage/project/{project.Id()}")).ReadProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"v1/manage/apikey/{key.Id()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"v1/manage/project/{project.Id()}")).StatusCode);
        await (await admin.GetAsync($"v1/manage/project/{project.Id()}")).ReadProblemAsync(HttpStatusCode.NotFound);
        await (await admin.PostAsJsonAsync("v1/manage/apikey", new { name = "gone", project_id = project.Id() })).ReadProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Keys_default_to_their_users_private_project_which_cannot_be_deleted_or_borrowed()
    {
        using var admin = fixture.Client();
        var user = await admin.CreateUserAsync();
        var other = await admin.CreateUserAsync();

        var key = await admin.CreateKeyAsync(new { name = "alice's", user_id = user.Id() });
        Assert.Equal(user.Id("private_project_id"), key.Id("project_id"));

        var borrowed = await admin.PostAsJsonAsync("v1/manage/apikey", new { name = "borrow", user_id = other.Id(), project_id = user.Id("private_project_id") });
        Assert.Equal(["project_id"], (await borrowed.ReadProblemAsync(HttpStatusCode.BadRequest)).Fields());

        await (await admin.DeleteAsync($"v1/manage/project/{user.Id("private_project_id")}")).ReadProblemAsync(HttpStatusCode.Conflict);
        var limited = await (await admin.SendAsync(HttpMethod.Patch, $"v1/manage/project/{user.Id("private_project_id")}", new { monthly_limit = 3m }))
            .ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(3m, limited["monthly_limit"]!.GetValue<decimal>());
        await (await admin.PostAsJsonAsync("v1/manage/apikey", new { name = "nobody", user_id = Guid.NewGuid() })).ReadProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Validation_errors_name_the_fields()
    {
        using var admin = fixture.Client();
        var invalid = await admin.PostAsJsonAsync("v1/manage/project", new { monthly_limit = -1 });
        Assert.Equal(["monthly_limit", "name"], (await invalid.ReadProblemAsync(HttpStatusCode.BadRequest)).Fields());
        var project = await (await admin.PostAsJsonAsync("v1/manage/project", new { name = "p" })).ReadJsonAsync(HttpStatusCode.Created);
        var patch = await admin.SendAsync(HttpMethod.Patch, $"v1/manage/project/{project.Id()}", new { name = "" });
        Assert.Equal(["name"], (await patch.ReadProblemAsync(HttpStatusCode.BadRequest)).Fields());
    }
}
