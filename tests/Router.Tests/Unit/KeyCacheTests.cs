using Requesty.Contracts.Keys;
using Requesty.Router.Keys;

namespace Requesty.Router.Tests.Unit;

public class KeyCacheTests
{
    private static ApiKeyContext Key(string hash, long version, decimal? limit = null) => new()
    {
        KeyHash = hash, ApiKeyId = Guid.NewGuid(), OrganizationId = Guid.NewGuid(), Version = version, MonthlyLimitUsd = limit,
    };

    [Fact]
    public void An_older_version_never_replaces_a_newer_one()
    {
        var cache = new KeyCache();
        cache.Upsert(Key("h", 3, 10m));
        cache.Upsert(Key("h", 2, 99m));

        Assert.True(cache.TryGet("h", out var key));
        Assert.Equal(10m, key.MonthlyLimitUsd);
    }

    [Fact]
    public void A_revoked_key_cannot_be_resurrected_by_a_late_upsert()
    {
        var cache = new KeyCache();
        cache.Upsert(Key("h", 1));
        cache.Revoke("h");
        cache.Upsert(Key("h", 2));

        Assert.False(cache.TryGet("h", out _));
    }

    [Fact]
    public void A_snapshot_drops_keys_deleted_in_the_meantime()
    {
        var cache = new KeyCache();
        cache.Upsert(Key("gone", 1));
        cache.ReplaceAll([Key("kept", 1)]);

        Assert.False(cache.TryGet("gone", out _));
        Assert.True(cache.TryGet("kept", out _));
        Assert.True(cache.IsLoaded);
    }

    [Fact]
    public void Hash_is_lower_case_hex_sha256() =>
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", KeyHasher.Hash("abc"));
}
