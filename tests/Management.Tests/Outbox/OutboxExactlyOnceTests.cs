using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Requesty.Management.Application.Startup;
using Requesty.Management.Domain.ApiKeys;
using Requesty.Management.Infrastructure.EventSourcing;
using Requesty.Management.Infrastructure.Outbox;
using Requesty.ServiceDefaults;
using Requesty.TestKit;

namespace Requesty.Management.Tests.Outbox;

/// <summary>
/// 1,000 changes from 8 concurrent writers while the outbox publisher runs: every change reaches RabbitMQ,
/// none is missing, and the only duplicates are republished copies of the same event (same EventSequence,
/// same content), which dedupe to exactly one message per stored event.
/// </summary>
public sealed class OutboxExactlyOnceTests(PrivateDatabaseManagementFixture fixture) : IClassFixture<PrivateDatabaseManagementFixture>
{
    private const int Writers = 8;
    private const int StreamsPerWriter = 25;
    private const int ChangesPerStream = 5;
    private const int Changes = Writers * StreamsPerWriter * ChangesPerStream;

    [Fact]
    public async Task A_thousand_concurrent_changes_each_arrive_exactly_once_after_dedupe()
    {
        await using var recorder = await ExchangeRecorder.StartAsync("Requesty.Contracts.Management:ApiKeyUpserted");
        var store = fixture.Host.Services.GetRequiredService<EventStore>();
        var organizationId = Guid.NewGuid();
        var metadata = new EventMetadata("system:outbox-test");

        var written = await Task.WhenAll(Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            var streams = Enumerable.Range(0, StreamsPerWriter).Select(_ => Guid.NewGuid()).ToArray();
            var stored = new List<StoredEvent>();
            for (var version = 0; version < ChangesPerStream; version++)
                foreach (var stream in streams)
                    stored.AddRange(await store.AppendAsync(
                        new StreamAppend(stream, ApiKey.StreamType, version, Change(stream, organizationId, version)), metadata, CancellationToken.None));
            return stored;
        })));
        var events = written.SelectMany(w => w).ToDictionary(e => e.Sequence);
        Assert.Equal(Changes, events.Count);

        var received = await Eventually.GetAsync(() =>
        {
            var mine = Mine(recorder, organizationId);
            return Task.FromResult(mine.Select(Sequence).Distinct().Count() >= Changes ? mine : null);
        }, TimeSpan.FromSeconds(120), $"{Changes} distinct ApiKeyUpserted messages");

        // Republish part of the log as a crash between publish and checkpoint would: same events, same ids.
        var redelivered = await RepublishFromAsync(events.Keys.Min() - 1, organizationId);
        Assert.True(redelivered > 0);
        received = await Eventually.GetAsync(() =>
        {
            var mine = Mine(recorder, organizationId);
            return Task.FromResult(mine.Count >= Changes + redelivered ? mine : null);
        }, TimeSpan.FromSeconds(60), "the republished copies");

        var bySequence = received.GroupBy(Sequence).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(events.Keys.Order(), bySequence.Keys.Order());
        Assert.Contains(bySequence.Values, copies => copies.Count > 1);
        foreach (var (sequence, copies) in bySequence)
        {
            var stored = events[sequence];
            // Every copy is the same event: the key state as of that event, nothing else.
            Assert.Single(copies.Select(c => c.ToJsonString()).Distinct());
            var key = copies[0]["key"]!;
            Assert.Equal(stored.StreamId, key["apiKeyId"]!.GetValue<Guid>());
            Assert.Equal(stored.Version, key["version"]!.GetValue<long>());
            Assert.Equal(LimitOf(stored.Version - 1), Decimal(key["monthlyLimitUsd"]!));
        }
        // Deduped by the stable id, each (key, version) change arrived exactly once.
        var changes = bySequence.Values.Select(c => (c[0]["key"]!["apiKeyId"]!.GetValue<Guid>(), c[0]["key"]!["version"]!.GetValue<long>())).ToList();
        Assert.Equal(Changes, changes.Distinct().Count());
    }

    /// <summary>A second publisher with its own checkpoint just before our events publishes one batch again.</summary>
    private async Task<int> RepublishFromAsync(long position, Guid organizationId)
    {
        var services = fixture.Host.Services;
        var name = $"test-republish-{Guid.NewGuid():N}";
        await using (var insert = fixture.Database.CreateCommand(
            "INSERT INTO management.outbox_checkpoint (name, position, updated_at) VALUES (@name, @position, now())"))
        {
            insert.Parameters.AddWithValue("name", name);
            insert.Parameters.AddWithValue("position", position);
            await insert.ExecuteNonQueryAsync();
        }
        try
        {
            var publisher = new OutboxPublisher(
                services.GetRequiredService<NpgsqlDataSource>(), services.GetRequiredService<EventStore>(), services.GetRequiredService<IBus>(),
                new OutboxSignal(), services.GetRequiredService<StartupGate>(),
                Options.Create(new OutboxOptions { Name = name, BatchSize = 300 }), NullLogger<OutboxPublisher>.Instance);
            await publisher.PublishBatchAsync(CancellationToken.None);
        }
        finally
        {
            await using var delete = fixture.Database.CreateCommand("DELETE FROM management.outbox_checkpoint WHERE name = @name");
            delete.Parameters.AddWithValue("name", name);
            await delete.ExecuteNonQueryAsync();
        }
        // How many of our events that batch covered (the log interleaves other tests' events).
        await using var count = fixture.Database.CreateCommand("""
            SELECT count(*) FROM (SELECT stream_id, stream_type FROM management.events WHERE seq > @position ORDER BY seq LIMIT 300) e
            JOIN management.stream_owners o ON o.stream_id = e.stream_id WHERE o.organization_id = @org AND e.stream_type = 'api_key'
            """);
        count.Parameters.AddWithValue("position", position);
        count.Parameters.AddWithValue("org", organizationId);
        return (int)(long)(await count.ExecuteScalarAsync())!;
    }

    private static List<JsonNode> Mine(ExchangeRecorder recorder, Guid organizationId) =>
        recorder.Messages.Where(m => m["key"]?["organizationId"]?.GetValue<Guid>() == organizationId).ToList();

    private static long Sequence(JsonNode message) =>
        message["eventSequence"]?.GetValue<long>() ?? throw new Xunit.Sdk.XunitException("An ApiKeyUpserted without eventSequence.");

    private static Requesty.Management.Domain.IDomainEvent Change(Guid stream, Guid organizationId, int version) => version == 0
        ? new ApiKeyCreated(stream, organizationId, "outbox " + stream.ToString("N")[..6], ApiKeySecret.Hash(ApiKeySecret.Generate()), "rqsty-sk-xxx",
            ApiKeyPermissions.Default, LimitOf(0), new Dictionary<string, string>(), null, null, null, null, null)
        : new ApiKeyMonthlyLimitChanged(LimitOf(version));

    private static decimal LimitOf(long change) => 10m + change;

    // MassTransit's JSON writes decimals as strings (exactly, without binary rounding).
    private static decimal Decimal(JsonNode node) => node.GetValueKind() == JsonValueKind.String
        ? decimal.Parse(node.GetValue<string>(), CultureInfo.InvariantCulture)
        : node.GetValue<decimal>();
}
