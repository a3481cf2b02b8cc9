using System.Net;
using Microsoft.Extensions.Configuration;
using Requesty.McpGateway.Security;
using Requesty.McpGateway.Tests.Integration;
using Requesty.McpGateway.Tests.Support;

namespace Requesty.McpGateway.Tests.Servers;

/// <summary>The SSRF policy on its own (no servers needed).</summary>
public sealed class UrlPolicyTests
{
    private static UpstreamUrlPolicy Policy(params (string Key, string Value)[] settings) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build());

    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("10.1.2.3", "private")]
    [InlineData("172.20.0.1", "private")]
    [InlineData("192.168.1.10", "private")]
    [InlineData("169.254.169.254", "metadata")]
    [InlineData("169.254.10.1", "link-local")]
    [InlineData("100.64.0.1", "carrier-grade")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("::1", "loopback")]
    [InlineData("fd12:3456::1", "unique-local")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("::ffff:10.0.0.1", "private")]
    public void Internal_addresses_are_denied_by_default(string address, string reason)
    {
        Assert.Contains(reason, Policy().DenialReason(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("140.82.112.3")]
    [InlineData("2606:4700:4700::1111")]
    public void Public_addresses_are_allowed(string address)
    {
        Assert.Null(Policy().DenialReason(IPAddress.Parse(address)));
    }

    [Fact]
    public void Allowing_private_networks_still_denies_the_metadata_address()
    {
        var policy = Policy((UpstreamUrlPolicy.AllowPrivateNetworksKey, "true"));

        Assert.Null(policy.DenialReason(IPAddress.Parse("10.0.0.5")));
        Assert.Null(policy.DenialReason(IPAddress.Loopback));
        Assert.Contains("metadata", policy.DenialReason(IPAddress.Parse("169.254.169.254")));
    }

    [Fact]
    public void The_allow_list_opens_exactly_the_listed_networks()
    {
        var policy = Policy((UpstreamUrlPolicy.AllowedNetworksKey, "127.0.0.1, 10.20.0.0/16"));

        Assert.Null(policy.DenialReason(IPAddress.Parse("127.0.0.1")));
        Assert.Null(policy.DenialReason(IPAddress.Parse("10.20.3.4")));
        Assert.NotNull(policy.DenialReason(IPAddress.Parse("127.0.0.2")));
        Assert.NotNull(policy.DenialReason(IPAddress.Parse("10.21.0.1")));
        Assert.NotNull(policy.DenialReason(IPAddress.IPv6Loopback));
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://10.0.0.7:8080/mcp")]
    [InlineData("http://[::1]:3001/mcp")]
    [InlineData("https://[fd00::5]/mcp")]
    public async Task Registration_refuses_literal_internal_addresses(string url)
    {
        Assert.NotNull(await Policy().CheckAsync(new Uri(url), CancellationToken.None));
    }

    [Fact]
    public async Task Only_http_and_https_are_allowed()
    {
        Assert.Contains("http or https", await Policy().CheckAsync(new Uri("ftp://8.8.8.8/mcp"), CancellationToken.None));
    }
}

/// <summary>The SSRF policy through the registry and at connection time (the fixture allows 127.0.0.1/32 only).</summary>
[Collection(McpGatewayCollection.Name)]
public sealed class UrlPolicyApiTests(McpGatewayFixture fixture)
{
    private readonly GatewayApi _api = new(fixture);

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data", "metadata")]
    [InlineData("http://10.0.0.7:8080/mcp", "private")]
    [InlineData("http://192.168.0.2/mcp", "private")]
    [InlineData("http://[::1]:3001/mcp", "loopback")]
    [InlineData("http://[fd00::5]/mcp", "unique-local")]
    public async Task Registering_an_internal_address_is_a_400_naming_the_url_field(string url, string reason)
    {
        var org = Guid.NewGuid();

        var (status, problem) = await _api.SendAsync(HttpMethod.Post, $"v1/mcp/servers?org_id={org}",
            new { name = "internal", url, type = "streamable-http" });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var message = Assert.Single(problem.GetProperty("errors").GetProperty("url").EnumerateArray()).GetString();
        Assert.Contains(reason, message);
        var (_, list) = await _api.SendAsync(HttpMethod.Get, $"v1/mcp/servers?org_id={org}");
        Assert.Empty(list.EnumerateArray());
    }

    [Fact]
    public async Task Moving_a_server_to_an_internal_address_is_refused()
    {
        var org = Guid.NewGuid();
        var id = await _api.CreateServerAsync(org, "movable", fixture.StreamableHttpUpstream.Endpoint, "streamable-http");

        var (status, problem) = await _api.SendAsync(HttpMethod.Put, $"v1/mcp/servers/{id}?org_id={org}",
            new { name = "movable", url = "http://172.16.5.5/mcp", type = "streamable-http" });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(problem.GetProperty("errors").TryGetProperty("url", out _));
    }

    [Fact]
    public async Task A_stored_server_that_now_points_inside_is_refused_at_connect_time()
    {
        var org = Guid.NewGuid();
        var id = await _api.CreateServerAsync(org, "rebound", fixture.StreamableHttpUpstream.Endpoint, "streamable-http");
        await _api.EnableToolsAsync(org, id, "echo");
        // As if it had been registered before the policy existed (or its name now resolves elsewhere).
        await using (var update = fixture.Database.CreateCommand("UPDATE mcp.servers SET url = @url WHERE id = @id"))
        {
            update.Parameters.AddWithValue("url", $"http://[::1]:{fixture.StreamableHttpUpstream.Endpoint.Port}/mcp");
            update.Parameters.AddWithValue("id", id);
            Assert.Equal(1, await update.ExecuteNonQueryAsync());
        }
        await using var client = await _api.ConnectAsync(fixture.Management.IssueKey(org));

        var error = await Assert.ThrowsAsync<ModelContextProtocol.McpProtocolException>(() =>
            client.CallToolAsync("rebound__echo", new Dictionary<string, object?> { ["message"] = "x" }).AsTask());
        var (exploreStatus, explore) = await _api.SendAsync(HttpMethod.Get, $"v1/mcp/servers/{id}/explore?org_id={org}");

        Assert.Contains("loopback", error.Message);
        Assert.Equal(HttpStatusCode.BadGateway, exploreStatus);
        Assert.Contains("loopback", explore.GetProperty("detail").GetString());
    }
}
