using Requesty.TestKit;

namespace Requesty.Router.Tests.Integration;

public sealed class SwaggerDocumentTests(RouterWithEvents fixture) : IClassFixture<RouterWithEvents>
{
    [Fact]
    public async Task The_openapi_document_describes_every_client_endpoint()
    {
        using var http = fixture.Harness.CreateRouterClient();
        var paths = await OpenApiDocument.PathsAsync(http);

        string[] expected =
        [
            "/v1/chat/completions", "/v1/messages", "/v1/messages/count_tokens", "/v1/responses", "/v1/embeddings",
            "/v1/images/generations", "/v1/models", "/v1/route/explain", "/feedback/{requestId}", "/v1/feedback/{requestId}",
        ];
        Assert.All(expected, path => Assert.True(paths.ContainsKey(path), $"{path} is missing from the OpenAPI document"));
        Assert.Equal("Chat", paths["/v1/chat/completions"]!["post"]!["tags"]![0]!.GetValue<string>());
    }
}
