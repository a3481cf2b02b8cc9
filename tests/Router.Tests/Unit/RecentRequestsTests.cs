using Requesty.Router.Pipeline;

namespace Requesty.Router.Tests.Unit;

public class RecentRequestsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(64)]
    public void Behaves_like_a_first_in_first_out_map_of_the_last_entries(int capacity)
    {
        // Tiny capacities make long probe runs and every kind of wrap-around removal; a few ids come back as duplicates.
        var random = new Random(capacity);
        var recent = new RecentRequests(capacity);
        var expected = new Dictionary<Guid, Guid>();
        var order = new Queue<Guid>();
        var seen = new List<Guid>();
        for (var step = 0; step < 20_000; step++)
        {
            var id = seen.Count > 0 && random.Next(5) == 0 ? seen[random.Next(seen.Count)] : Guid.NewGuid();
            var organization = Guid.NewGuid();
            recent.Remember(id, organization);
            if (expected.TryAdd(id, organization))
            {
                order.Enqueue(id);
                seen.Add(id);
                if (order.Count > capacity) expected.Remove(order.Dequeue());
            }

            var probe = seen[random.Next(seen.Count)];
            Assert.Equal(expected.TryGetValue(probe, out var want), recent.TryGetOrganization(probe, out var got));
            Assert.Equal(want, got);
        }
        foreach (var (id, organization) in expected)
        {
            Assert.True(recent.TryGetOrganization(id, out var found));
            Assert.Equal(organization, found);
        }
    }

    [Fact]
    public void Remembering_an_id_again_keeps_its_first_organisation()
    {
        var recent = new RecentRequests(4);
        var (id, first) = (Guid.NewGuid(), Guid.NewGuid());
        recent.Remember(id, first);
        recent.Remember(id, Guid.NewGuid());

        Assert.True(recent.TryGetOrganization(id, out var found));
        Assert.Equal(first, found);
    }

    [Fact]
    public void Concurrent_requests_all_land_and_exactly_the_capacity_is_kept()
    {
        const int threads = 8, perThread = 5_000, capacity = 30_000;
        var recent = new RecentRequests(capacity);
        var ids = Enumerable.Range(0, threads).Select(_ => Enumerable.Range(0, perThread).Select(_ => Guid.NewGuid()).ToArray()).ToArray();
        var organization = Guid.NewGuid();

        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            foreach (var id in ids[t]) recent.Remember(id, organization);
        });

        Assert.Equal(capacity, ids.SelectMany(x => x).Count(id => recent.TryGetOrganization(id, out _)));
        // Oldest first: what is left of each thread's ids is a tail of them (nothing newer dropped before something older).
        Assert.All(ids, own =>
        {
            var kept = own.Select(id => recent.TryGetOrganization(id, out _)).ToArray();
            Assert.Equal(kept.SkipWhile(found => !found), kept.SkipWhile(found => !found).Where(found => found));
        });
    }

    [Fact]
    public void Remembering_does_not_allocate()
    {
        var recent = new RecentRequests(1_000);
        var ids = Enumerable.Range(0, 5_000).Select(_ => Guid.NewGuid()).ToArray();
        var organization = Guid.NewGuid();
        recent.Remember(ids[0], organization);

        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var id in ids) recent.Remember(id, organization);
        foreach (var id in ids) recent.TryGetOrganization(id, out _);

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
