using Requesty.Contracts.Management;
using Requesty.Router.Routing;

namespace Requesty.Router.Tests.Unit.Routing;

public sealed class PolicyCacheTests
{
    private static readonly Guid Org = Guid.NewGuid();
    private static readonly Guid Key = Guid.NewGuid();

    private static RoutingPolicy Version(long version, string model = "openai/gpt-4o") => new()
    {
        OrganizationId = Org, Name = "p", Type = "fallback", Version = version,
        Entries = [new RoutingPolicyEntry { Model = model }],
    };

    [Fact]
    public void Newer_versions_win_and_an_older_upsert_cannot_resurrect_a_deleted_policy()
    {
        var cache = new PolicyCache();
        cache.Upsert(Version(2, "openai/gpt-4o-mini"));
        cache.Upsert(Version(1));
        Assert.True(cache.TryGet(Org, Key, "p", out var current));
        Assert.Equal("openai/gpt-4o-mini", current.Entries[0].Model);

        cache.Delete(Org, "p", 3);
        cache.Upsert(Version(2));
        Assert.False(cache.TryGet(Org, Key, "p", out _));

        // Re-created after the delete: a higher version on the same stream.
        cache.Upsert(Version(4));
        Assert.True(cache.TryGet(Org, Key, "p", out _));
    }

    [Fact]
    public void A_snapshot_drops_policies_deleted_meanwhile()
    {
        var cache = new PolicyCache();
        cache.Upsert(Version(1));
        cache.ReplaceAll([Version(1) with { Name = "other" }]);
        Assert.True(cache.IsLoaded);
        Assert.False(cache.TryGet(Org, Key, "p", out _));
        Assert.True(cache.TryGet(Org, Key, "other", out _));
    }
}
