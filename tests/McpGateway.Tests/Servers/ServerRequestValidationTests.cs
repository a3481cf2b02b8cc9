using Requesty.McpGateway.Servers;

namespace Requesty.McpGateway.Tests.Servers;

public sealed class ServerRequestValidationTests
{
    [Theory]
    [InlineData("github", true)]
    [InlineData("my-mcp-server", true)]
    [InlineData("team_tools2", true)]
    [InlineData("a", true)]
    [InlineData("bad__name", false)]
    [InlineData("trailing_", false)]
    [InlineData("-leading", false)]
    [InlineData("has space", false)]
    [InlineData("", false)]
    public void Server_names_cannot_break_tool_namespacing(string name, bool valid)
    {
        ServerRequestValidation.Validate(new ServerRequest(name, "https://example.com/mcp", "sse", null, null, null), isCreate: true, out var errors);

        Assert.Equal(valid, !errors.ContainsKey("name"));
    }

    [Fact]
    public void Header_values_with_line_breaks_are_rejected()
    {
        var request = new ServerRequest("x", "https://example.com/mcp", null,
            new Dictionary<string, string?> { ["X-Key"] = "a\r\nInjected: yes" }, null, null);

        Assert.Null(ServerRequestValidation.Validate(request, isCreate: true, out var errors));
        Assert.True(errors.ContainsKey("headers.X-Key"));
    }

    [Fact]
    public void Defaults_are_streamable_http_enabled_and_org_keys_only()
    {
        var changes = ServerRequestValidation.Validate(new ServerRequest("x", "http://127.0.0.1:1/mcp", null, null, null, null), isCreate: true, out _);

        Assert.NotNull(changes);
        Assert.Equal(("streamable-http", true, false), (changes.Transport, changes.Enabled, changes.AllowUserKeys));
        Assert.Empty(changes.Headers!);
    }
}
