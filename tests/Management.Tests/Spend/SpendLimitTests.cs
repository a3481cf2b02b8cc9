using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Requesty.Contracts.Events;
using Requesty.Contracts.Management;
using Requesty.Management.Application.Spend;
using Requesty.Management.Tests.Support;
using Requesty.TestKit;

namespace Requesty.Management.Tests.Spend;

/// <summary>Spend reaching a limit blocks the scope once; raising the limit clears it, lowering it blocks again.</summary>
public sealed class SpendLimitTests(ManagementHostFixture fixture) : IClassFixture<ManagementHostFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_key_reaching_its_limit_is_blocked_once_then_cleared_when_the_limit_is_raised()
    {
        await using var reached = await EventProbe<SpendLimitReached>.StartAsync();
        await using var cleared = await EventProbe<SpendLimitCleared>.StartAsync();
        using var client = fixture.Client();
        var organizationId = (await (await client.GetAsync("v1/manage/org")).ReadJsonAsync(HttpStatusCode.OK))["id"]!.GetValue<Guid>();
        var keyId = (await client.CreateKeyAsync(new { name = "limited", monthly_limit = 0.10m }))["id"]!.GetValue<Guid>();
        var bus = fixture.Host.Services.GetRequiredService<IBus>();

        var requests = Enumerable.Range(0, 3).Select(_ => RequestCompletedSamples.Create(organizationId, 0.04m, apiKeyId: keyId)).ToArray();
        await bus.Publish(requests[0]);
        await bus.Publish(requests[1]);
        Assert.Null(await BlockedMonthAsync(SpendScopes.ApiKey, keyId, after: requests[1].RequestId));

        // The third request crosses the limit; redeliveries and concurrent evaluations must not block it twice.
        await Task.WhenAll(bus.Publish(requests[2]), bus.Publish(requests[2]), bus.Publish(requests[2]));
        var published = await reached.WaitForAsync(e => e.ScopeId == keyId, Timeout);
        var evaluator = fixture.Host.Services.GetRequiredService<SpendLimitEvaluator>();
        var extra = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            evaluator.EvaluateAsync(organizationId, [new SpendScope(SpendScopes.ApiKey, keyId)], default)));

        Assert.Equal(0, extra.Sum());
        Assert.Equal(SpendScopes.ApiKey, published.Scope);
        Assert.Equal(organizationId, published.OrganizationId);
        Assert.Equal(0.12m, published.SpendUsd);
        Assert.Equal(0.10m, published.LimitUsd);
        Assert.Equal(SpendScope.MonthStart(DateTime.UtcNow), published.Month);
        Assert.Equal(1, await LoggedAsync(keyId, "spend_limit.reached"));
        Assert.Contains(await InternalBlocksAsync(), b => b!["scopeId"]!.GetValue<Guid>() == keyId && b["scope"]!.GetValue<string>() == "api_key");

        // Raised above the spend: cleared (by the reconciler, no request needed).
        (await client.PostAsJsonAsync($"v1/manage/apikey/{keyId}/limit", new { monthly_limit = 1m })).EnsureSuccessStatusCode();
        var lifted = await cleared.WaitForAsync(e => e.ScopeId == keyId, Timeout);
        Assert.Equal(1m, lifted.LimitUsd);
        Assert.True(lifted.Version > published.Version);
        Assert.DoesNotContain(await InternalBlocksAsync(), b => b!["scopeId"]!.GetValue<Guid>() == keyId);

        // Lowered below the spend: blocked again without a new request.
        (await client.PostAsJsonAsync($"v1/manage/apikey/{keyId}/limit", new { monthly_limit = 0.05m })).EnsureSuccessStatusCode();
        var again = await reached.WaitForAsync(e => e.ScopeId == keyId && e.Version > lifted.Version, Timeout);
        Assert.Equal(0.05m, again.LimitUsd);
        Assert.Equal(2, await LoggedAsync(keyId, "spend_limit.reached"));
        // Delivery is at least once (the outbox may republish a batch); the versions tell consumers it is one block each time.
        Assert.Equal([published.Version, again.Version], reached.Received.Where(e => e.ScopeId == keyId).Select(e => e.Version).Distinct().Order());
    }

    [Fact]
    public async Task A_group_over_its_budget_is_blocked_for_every_member()
    {
        await using var reached = await EventProbe<SpendLimitReached>.StartAsync();
        using var client = fixture.Client();
        var organizationId = (await (await client.GetAsync("v1/manage/org")).ReadJsonAsync(HttpStatusCode.OK))["id"]!.GetValue<Guid>();
        var group = await (await client.PostAsJsonAsync("v1/manage/group", new { name = "budgeted " + Guid.NewGuid().ToString("N")[..6], monthly_budget = 1m }))
            .ReadJsonAsync(HttpStatusCode.Created);
        var groupId = group["id"]!.GetValue<Guid>();

        var bus = fixture.Host.Services.GetRequiredService<IBus>();
        await bus.Publish(RequestCompletedSamples.Create(organizationId, 0.6m, userId: Guid.NewGuid(), groupIds: [groupId]));
        await bus.Publish(RequestCompletedSamples.Create(organizationId, 0.4m, userId: Guid.NewGuid(), groupIds: [groupId]));

        var published = await reached.WaitForAsync(e => e.ScopeId == groupId, Timeout);
        Assert.Equal(SpendScopes.Group, published.Scope);
        Assert.Equal(1.0m, published.SpendUsd);
        Assert.Equal(1m, published.LimitUsd);
    }

    [Fact]
    public async Task Requests_of_one_RequestCompletedBatch_that_together_cross_a_group_budget_block_the_group_once()
    {
        await using var reached = await EventProbe<SpendLimitReached>.StartAsync();
        using var client = fixture.Client();
        var organizationId = (await (await client.GetAsync("v1/manage/org")).ReadJsonAsync(HttpStatusCode.OK))["id"]!.GetValue<Guid>();
        var group = await (await client.PostAsJsonAsync("v1/manage/group", new { name = "batched " + Guid.NewGuid().ToString("N")[..6], monthly_budget = 1m }))
            .ReadJsonAsync(HttpStatusCode.Created);
        var groupId = group["id"]!.GetValue<Guid>();

        var bus = fixture.Host.Services.GetRequiredService<IBus>();
        var events = Enumerable.Range(0, 4)
            .Select(_ => RequestCompletedSamples.Create(organizationId, 0.3m, userId: Guid.NewGuid(), groupIds: [groupId])).ToArray();
        await bus.Publish(new RequestCompletedBatch { Events = events });

        var published = await reached.WaitForAsync(e => e.ScopeId == groupId, Timeout);
        Assert.Equal(SpendScopes.Group, published.Scope);
        Assert.Equal(1.2m, published.SpendUsd);
        Assert.Equal(1m, published.LimitUsd);
        Assert.Equal(1, await LoggedAsync(groupId, "spend_limit.reached", SpendScopes.Group));
    }

    private async Task<DateTime?> BlockedMonthAsync(string scope, Guid scopeId, Guid after)
    {
        // Wait (bounded) until the request was processed, so "not blocked" is not just "not yet".
        await Eventually.GetAsync(async () =>
        {
            await using var processed = fixture.Database.CreateCommand("SELECT count(*) FROM management.processed_requests WHERE request_id = @id");
            processed.Parameters.AddWithValue("id", after);
            return (long)(await processed.ExecuteScalarAsync())! == 1 ? "processed" : null;
        }, Timeout, "the request to be recorded");
        await using var command = fixture.Database.CreateCommand("SELECT month FROM management.spend_blocks WHERE scope = @scope AND scope_id = @id");
        command.Parameters.AddWithValue("scope", scope);
        command.Parameters.AddWithValue("id", scopeId);
        return await command.ExecuteScalarAsync() switch
        {
            DateOnly day => day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
            DateTime month => month,
            _ => null,
        };
    }

    private async Task<long> LoggedAsync(Guid scopeId, string eventType, string scope = SpendScopes.ApiKey)
    {
        await using var command = fixture.Database.CreateCommand("SELECT count(*) FROM management.events WHERE stream_id = @stream AND event_type = @type");
        command.Parameters.AddWithValue("stream", SpendLimitStream.IdOf(new SpendScope(scope, scopeId)));
        command.Parameters.AddWithValue("type", eventType);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<JsonArray> InternalBlocksAsync()
    {
        using var client = fixture.Host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", TestServers.InternalToken);
        return JsonNode.Parse(await client.GetStringAsync("internal/spend-blocks"))!.AsArray();
    }
}
