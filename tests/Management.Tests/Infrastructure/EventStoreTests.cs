using Npgsql;
using Requesty.Management.Domain;
using Requesty.Management.Domain.ApiKeys;
using Requesty.Management.Domain.Organizations;
using Requesty.Management.Infrastructure.EventSourcing;

namespace Requesty.Management.Tests.Infrastructure;

public sealed class EventStoreTests(EventStoreFixture fixture) : IClassFixture<EventStoreFixture>
{
    private static readonly EventMetadata Metadata = new("test:event-store", "corr-1");

    [Fact]
    public async Task Appended_events_read_back_in_version_order_with_metadata()
    {
        var (organizationId, keyId) = (Guid.NewGuid(), Guid.NewGuid());
        await fixture.Store.AppendAsync(new StreamAppend(organizationId, Organization.StreamType, 0, new OrganizationCreated(organizationId, "Log org")), Metadata, default);
        await fixture.Store.AppendAsync(new StreamAppend(keyId, ApiKey.StreamType, 0, [Created(keyId, organizationId), new ApiKeyMonthlyLimitChanged(3.25m)]), Metadata, default);
        await fixture.Store.AppendAsync(new StreamAppend(keyId, ApiKey.StreamType, 2, new ApiKeyLabelsChanged(new Dictionary<string, string> { ["a"] = "b" })), Metadata, default);

        var stream = await fixture.Store.ReadStreamAsync(keyId, default);
        Assert.Equal([1L, 2L, 3L], stream.Select(e => e.Version));
        Assert.Equal(["api_key.created", "api_key.monthly_limit_changed", "api_key.labels_changed"], stream.Select(e => e.EventType));
        Assert.Equal(3.25m, Assert.IsType<ApiKeyMonthlyLimitChanged>(stream[1].Data).MonthlyLimit);
        Assert.Equal("b", Assert.IsType<ApiKeyLabelsChanged>(stream[2].Data).Labels["a"]);
        Assert.All(stream, e => Assert.Equal(Metadata, e.Metadata));
        Assert.All(stream, e => Assert.Equal(DateTimeKind.Utc, e.OccurredAt.Kind));
        Assert.True(stream[0].Sequence < stream[1].Sequence && stream[1].Sequence < stream[2].Sequence);

        var key = ApiKey.FromHistory(stream.Select(e => e.Data))!;
        Assert.Equal(3, key.Version);
        Assert.Equal(3.25m, key.MonthlyLimit);
    }

    [Fact]
    public async Task A_stale_expected_version_throws_and_writes_nothing()
    {
        var (organizationId, keyId) = (Guid.NewGuid(), Guid.NewGuid());
        await fixture.Store.AppendAsync(new StreamAppend(keyId, ApiKey.StreamType, 0, Created(keyId, organizationId)), Metadata, default);
        await fixture.Store.AppendAsync(new StreamAppend(keyId, ApiKey.StreamType, 1, new ApiKeyMonthlyLimitChanged(1)), Metadata, default);

        var stale = await Assert.ThrowsAsync<ConcurrencyException>(() =>
            fixture.Store.AppendAsync(new StreamAppend(keyId, ApiKey.StreamType, 1, new ApiKeyMonthlyLimitChanged(2)), Metadata, default));
        Assert.Equal(1, stale.ExpectedVersion);
        Assert.Equal(2, stale.ActualVersion);

        await Assert.ThrowsAsync<ConcurrencyException>(() =>
            fixture.Store.AppendAsync(new StreamAppend(keyId, ApiKey.StreamType, 0, Created(keyId, organizationId)), Metadata, default));

        // A multi-stream append is all or nothing: the valid half is not written either.
        var freshId = Guid.NewGuid();
        await Assert.ThrowsAsync<ConcurrencyException>(() => fixture.Store.AppendAsync(
            [
                new StreamAppend(freshId, ApiKey.StreamType, 0, Created(freshId, organizationId)),
                new StreamAppend(keyId, ApiKey.StreamType, 5, new ApiKeyDeleted()),
            ], Metadata, default));
        Assert.Empty(await fixture.Store.ReadStreamAsync(freshId, default));

        var stream = await fixture.Store.ReadStreamAsync(keyId, default);
        Assert.Equal(2, stream.Count);
        Assert.Equal(1m, Assert.IsType<ApiKeyMonthlyLimitChanged>(stream[1].Data).MonthlyLimit);
    }

    [Fact]
    public async Task Concurrent_appenders_give_a_gap_free_sequence_that_an_outbox_reader_follows_in_order()
    {
        const int streams = 20, eventsPerStream = 5;
        var organizationId = Guid.NewGuid();
        var keyIds = Enumerable.Range(0, streams).Select(_ => Guid.NewGuid()).ToArray();
        var ours = keyIds.ToHashSet();
        var start = await fixture.Store.LastSequenceAsync(default);

        // The reader polls like the outbox publisher does, moving its checkpoint as it goes.
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var reader = Task.Run(async () =>
        {
            var seen = new List<StoredEvent>();
            var checkpoint = start;
            while (seen.Count(e => ours.Contains(e.StreamId)) < streams * eventsPerStream)
            {
                stop.Token.ThrowIfCancellationRequested();
                var batch = await fixture.Store.ReadAllAsync(checkpoint, 50, default);
                if (batch.Count == 0) { await Task.Delay(5); continue; }
                seen.AddRange(batch);
                checkpoint = batch[^1].Sequence;
            }
            return seen;
        });

        await Task.WhenAll(keyIds.Select(keyId => Task.Run(async () =>
        {
            await fixture.Store.AppendAsync(new StreamAppend(keyId, ApiKey.StreamType, 0, Created(keyId, organizationId)), Metadata, default);
            for (var version = 1; version < eventsPerStream; version++)
                await fixture.Store.AppendAsync(new StreamAppend(keyId, ApiKey.StreamType, version, new ApiKeyMonthlyLimitChanged(version)), Metadata, default);
        })));
        var observed = await reader;

        // Whole log from the start point: consecutive numbers, no gaps, nothing twice.
        Assert.Equal(Enumerable.Range(1, observed.Count).Select(i => start + i), observed.Select(e => e.Sequence));
        var mine = observed.Where(e => ours.Contains(e.StreamId)).ToList();
        Assert.Equal(streams * eventsPerStream, mine.Count);
        foreach (var stream in mine.GroupBy(e => e.StreamId))
            Assert.Equal(Enumerable.Range(1, eventsPerStream).Select(v => (long)v), stream.Select(e => e.Version));

        // What the reader saw live is exactly what the log holds now.
        var log = await fixture.Store.ReadAllAsync(start, observed.Count, default);
        Assert.Equal(log.Select(e => e.Sequence), observed.Select(e => e.Sequence));
    }

    [Fact]
    public async Task Rebuilding_projections_from_the_log_gives_the_same_read_model()
    {
        var organizationId = Guid.NewGuid();
        await fixture.Store.AppendAsync(new StreamAppend(organizationId, Organization.StreamType, 0, new OrganizationCreated(organizationId, "Rebuild org")), Metadata, default);
        var keys = Enumerable.Range(0, 4).Select(_ => Guid.NewGuid()).ToArray();
        foreach (var keyId in keys)
            await fixture.Store.AppendAsync(new StreamAppend(keyId, ApiKey.StreamType, 0, Created(keyId, organizationId)), Metadata, default);
        await fixture.Store.AppendAsync(new StreamAppend(keys[0], ApiKey.StreamType, 1, [new ApiKeyMonthlyLimitChanged(99.123456m), new ApiKeyMonthlyLimitChanged(null)]), Metadata, default);
        await fixture.Store.AppendAsync(new StreamAppend(keys[1], ApiKey.StreamType, 1, new ApiKeyLabelsChanged(new Dictionary<string, string> { ["env"] = "prod", ["team"] = "x" })), Metadata, default);
        await fixture.Store.AppendAsync(new StreamAppend(keys[2], ApiKey.StreamType, 1, new ApiKeyExpiryChanged(new DateTime(2031, 2, 3, 4, 5, 6, 789, DateTimeKind.Utc).AddTicks(1234))), Metadata, default);
        await fixture.Store.AppendAsync(new StreamAppend(keys[3], ApiKey.StreamType, 1, new ApiKeyDeleted()), Metadata, default);

        var before = await SnapshotAsync(organizationId);
        Assert.Equal(5, before.Count);

        var replayed = await fixture.Rebuilder.RebuildAsync(default);
        Assert.True(replayed >= 9);

        Assert.Equal(before, await SnapshotAsync(organizationId));
    }

    private async Task<List<string>> SnapshotAsync(Guid organizationId)
    {
        await using var command = fixture.Database.CreateCommand("""
            SELECT row_to_json(o)::text FROM management.organizations o WHERE id = @org
            UNION ALL
            (SELECT row_to_json(k)::text FROM management.api_keys k WHERE organization_id = @org ORDER BY id)
            """);
        command.Parameters.AddWithValue("org", organizationId);
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        return rows;
    }

    private static ApiKeyCreated Created(Guid keyId, Guid organizationId)
    {
        var secret = ApiKeySecret.Generate();
        return new ApiKeyCreated(keyId, organizationId, "key " + keyId.ToString("N")[..6], ApiKeySecret.Hash(secret), ApiKeySecret.DisplayPrefix(secret),
            ApiKeyPermissions.Default, 10m, new Dictionary<string, string> { ["origin"] = "test" }, null, null, null, null, null);
    }
}
