using Requesty.Management.Tests.Support;
using Requesty.TestKit;

namespace Requesty.Management.Tests.Apis;

public sealed class SwaggerTests(ManagementHostFixture fixture) : IClassFixture<ManagementHostFixture>
{
    [Fact]
    public async Task The_OpenAPI_document_lists_the_management_routes_but_not_the_internal_ones()
    {
        using var client = fixture.Host.CreateClient();
        var paths = (await OpenApiDocument.PathsAsync(client)).Select(p => p.Key).ToList();

        Assert.Contains("/v1/manage/org", paths);
        Assert.Contains("/v1/manage/apikey", paths);
        Assert.Contains("/v1/manage/apikey/{id}", paths);
        Assert.Contains("/v1/manage/apikey/{id}/limit", paths);
        Assert.Contains("/v1/manage/apikey/{id}/labels", paths);
        Assert.Contains("/v1/manage/apikey/{id}/expiry", paths);
        Assert.DoesNotContain(paths, p => p.StartsWith("/internal", StringComparison.Ordinal));
    }
}
