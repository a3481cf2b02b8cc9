using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Requesty.Management.Tests.Support;
using static Requesty.Management.Tests.TimeTravel.AsOfRequests;

namespace Requesty.Management.Tests.TimeTravel;

public sealed class AsOfTests(ManagementHostFixture fixture) : IClassFixture<ManagementHostFixture>
{
    [Fact]
    public async Task A_key_as_of_before_a_limit_change_has_the_old_limit()
    {
        using var admin = fixture.Client();
        var created = await admin.CreateKeyAsync(new { name = "travelling", monthly_limit = 5 });
        var id = created["id"]!.GetValue<Guid>();
        var createdAt = created["created_at"]!.GetValue<DateTime>();
        var changed = await (await admin.PostAsJsonAsync($"v1/manage/apikey/{id}/limit", new { monthly_limit = 9 })).ReadJsonAsync(HttpStatusCode.OK);
        var changedAt = changed["updated_at"]!.GetValue<DateTime>();
        Assert.True(changedAt > createdAt);

        var then = await OkAsync(admin, $"v1/manage/apikey/{id}?as_of={Iso(createdAt)}");
        Assert.Equal(5m, then["monthly_limit"]!.GetValue<decimal>());
        Assert.Equal(1, then["version"]!.GetValue<long>());
        Assert.Equal("travelling", then["name"]!.GetValue<string>());

        var atChange = await OkAsync(admin, $"v1/manage/apikey/{id}?as_of={Iso(changedAt)}");
        Assert.Equal(9m, atChange["monthly_limit"]!.GetValue<decimal>());

        var now = await admin.GetAsync($"v1/manage/apikey/{id}");
        Assert.Equal(9m, (await now.ReadJsonAsync(HttpStatusCode.OK))["monthly_limit"]!.GetValue<decimal>());
        var future = await OkAsync(admin, $"v1/manage/apikey/{id}?as_of={Iso(DateTime.UtcNow.AddYears(1))}");
        Assert.Equal(9m, future["monthly_limit"]!.GetValue<decimal>());
        Assert.Equal(2, future["version"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_key_before_its_creation_or_after_its_deletion_is_404_and_visible_in_between()
    {
        using var admin = fixture.Client();
        var created = await admin.CreateKeyAsync(new { name = "short lived" });
        var id = created["id"]!.GetValue<Guid>();
        var createdAt = created["created_at"]!.GetValue<DateTime>();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"v1/manage/apikey/{id}")).StatusCode);

        await NotFoundAsync(admin, $"v1/manage/apikey/{id}?as_of={Iso(createdAt.AddSeconds(-1))}");
        var alive = await OkAsync(admin, $"v1/manage/apikey/{id}?as_of={Iso(createdAt)}");
        Assert.Equal("short lived", alive["name"]!.GetValue<string>());
        await NotFoundAsync(admin, $"v1/manage/apikey/{id}");
        await NotFoundAsync(admin, $"v1/manage/apikey/{id}?as_of={Iso(DateTime.UtcNow.AddMinutes(5))}");
    }

    [Fact]
    public async Task A_policy_as_of_before_a_change_has_the_old_entries()
    {
        using var admin = fixture.Client();
        var name = "tt-" + Guid.NewGuid().ToString("N")[..8];
        var created = await (await admin.PostAsJsonAsync("v1/manage/policies",
            new { name, type = "fallback", entries = new[] { new { model = "openai/gpt-4o" } } })).ReadJsonAsync(HttpStatusCode.Created);
        var createdAt = created["updated_at"]!.GetValue<DateTime>();
        (await admin.PutAsJsonAsync($"v1/manage/policies/{name}",
            new { type = "fallback", entries = new[] { new { model = "openai/gpt-4o-mini" }, new { model = "openai/gpt-4o" } } })).EnsureSuccessStatusCode();

        var then = await OkAsync(admin, $"v1/manage/policies/{name}?as_of={Iso(createdAt)}");
        Assert.Equal(["openai/gpt-4o"], then["entries"]!.AsArray().Select(e => e!["model"]!.GetValue<string>()));
        var current = await OkAsync(admin, $"v1/manage/policies/{name}");
        Assert.Equal(2, current["entries"]!.AsArray().Count);
        await NotFoundAsync(admin, $"v1/manage/policies/{name}?as_of={Iso(createdAt.AddSeconds(-1))}");
    }

    [Fact]
    public async Task The_organisation_as_of_before_a_rename_has_the_old_name()
    {
        using var admin = fixture.Client();
        var original = await OkAsync(admin, "v1/manage/org");
        var createdAt = original["created_at"]!.GetValue<DateTime>();
        var renamed = "Renamed " + Guid.NewGuid().ToString("N")[..6];
        var patch = new HttpRequestMessage(HttpMethod.Patch, "v1/manage/org")
        {
            Content = new StringContent($"{{\"name\":\"{renamed}\"}}", System.Text.Encoding.UTF8, "application/json"),
        };
        await (await admin.SendAsync(patch)).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(fixture.OrganizationName, (await OkAsync(admin, $"v1/manage/org?as_of={Iso(createdAt)}"))["name"]!.GetValue<string>());
        Assert.Equal(renamed, (await OkAsync(admin, "v1/manage/org"))["name"]!.GetValue<string>());
        Assert.Equal(renamed, (await OkAsync(admin, $"v1/manage/org?as_of={Iso(DateTime.UtcNow.AddDays(1))}"))["name"]!.GetValue<string>());
        await NotFoundAsync(admin, $"v1/manage/org?as_of={Iso(createdAt.AddSeconds(-1))}");
    }

    [Theory]
    [InlineData("v1/manage/apikey/{0}?as_of=last-tuesday")]
    [InlineData("v1/manage/policies/anything?as_of=13/45/2025")]
    [InlineData("v1/manage/org?as_of=never")]
    [InlineData("v1/manage/user/{0}?as_of=yesterday")]
    [InlineData("v1/manage/group/{0}?as_of=2025-13-45")]
    [InlineData("v1/manage/service-account/{0}?as_of=soon")]
    [InlineData("v1/manage/project/{0}?as_of=later")]
    public async Task A_malformed_as_of_is_a_400(string template)
    {
        using var admin = fixture.Client();
        var problem = await (await admin.GetAsync(string.Format(template, Guid.NewGuid()))).ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]!["as_of"]);
    }
}
