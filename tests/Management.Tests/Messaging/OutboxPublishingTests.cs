using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Net.Http.Json;
using Requesty.Management.Domain.ApiKeys;
using Requesty.Management.Tests.Support;

namespace Requesty.Management.Tests.Messaging;

public sealed class OutboxPublishingTests(ManagementHostFixture fixture) : IClassFixture<ManagementHostFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Creating_changing_and_deleting_a_key_publishes_upserted_then_revoked()
    {
        await using var upserts = await RabbitMqProbe.BindAsync("Requesty.Contracts.Management:ApiKeyUpserted");
        await using var revocations = await RabbitMqProbe.BindAsync("Requesty.Contracts.Management:ApiKeyRevoked");
        using var client = fixture.Client();

        var created = await client.CreateKeyAsync(new { name = "published", monthly_limit = 4, permissions = new[] { "chat" } });
        var id = created["id"]!.GetValue<Guid>();
        var hash = ApiKeySecret.Hash(created["key"]!.GetValue<string>());

        var upserted = await upserts.WaitForAsync(m => m["key"]?["apiKeyId"]?.GetValue<Guid>() == id, Timeout);
        Assert.Equal(hash, upserted["key"]!["keyHash"]!.GetValue<string>());
        Assert.Equal(4m, Decimal(upserted["key"]!["monthlyLimitUsd"]!));
        Assert.Equal(1, upserted["key"]!["version"]!.GetValue<long>());
        Assert.Equal("chat", upserted["key"]!["permissions"]![0]!.GetValue<string>());

        await client.PostAsJsonAsync($"v1/manage/apikey/{id}/limit", new { monthly_limit = 9 });
        var changed = await upserts.WaitForAsync(m => m["key"]?["apiKeyId"]?.GetValue<Guid>() == id && m["key"]!["version"]!.GetValue<long>() == 2, Timeout);
        Assert.Equal(9m, Decimal(changed["key"]!["monthlyLimitUsd"]!));

        await client.DeleteAsync($"v1/manage/apikey/{id}");
        var revoked = await revocations.WaitForAsync(m => m["apiKeyId"]?.GetValue<Guid>() == id, Timeout);
        Assert.Equal(hash, revoked["keyHash"]!.GetValue<string>());
        Assert.NotEqual(Guid.Empty, revoked["organizationId"]!.GetValue<Guid>());
    }

    // MassTransit's JSON writes decimals as strings (exactly, without binary rounding).
    private static decimal Decimal(JsonNode node) => node.GetValueKind() == JsonValueKind.String
        ? decimal.Parse(node.GetValue<string>(), CultureInfo.InvariantCulture)
        : node.GetValue<decimal>();
}
