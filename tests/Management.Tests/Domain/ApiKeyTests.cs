using Requesty.Contracts.Management;
using Requesty.Management.Domain;
using Requesty.Management.Domain.ApiKeys;
using Requesty.Management.Infrastructure.EventSourcing;
using Requesty.Management.Infrastructure.Outbox;

namespace Requesty.Management.Tests.Domain;

public sealed class ApiKeyTests
{
    private static readonly DateTime Now = new(2030, 5, 17, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Generated_keys_have_the_documented_format_and_a_stable_hash()
    {
        var key = ApiKeySecret.Generate();
        Assert.Matches("^rqsty-sk-[A-Za-z0-9_-]{43}$", key);
        Assert.NotEqual(key, ApiKeySecret.Generate());
        Assert.Equal(key[..12], ApiKeySecret.DisplayPrefix(key));
        // SHA-256("abc"), the FIPS 180-2 test vector, as lower-case hex.
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ApiKeySecret.Hash("abc"));
    }

    [Fact]
    public void Permissions_are_normalised_to_a_canonical_order_without_duplicates()
    {
        Assert.Equal(["chat", "manage_write"], ApiKeyPermissions.Normalize(["manage_write", "chat", "manage_write"]));
    }

    [Fact]
    public void State_is_folded_from_history_and_versioned()
    {
        var key = ApiKey.FromHistory([Created(expiresAt: null), new ApiKeyMonthlyLimitChanged(5m), new ApiKeyExpiryChanged(Now.AddDays(1))])!;
        Assert.Equal(3, key.Version);
        Assert.Equal(5m, key.MonthlyLimit);
        Assert.False(key.IsExpired(Now));
        Assert.True(key.IsExpired(Now.AddDays(2)));
        Assert.Null(ApiKey.FromHistory([]));
    }

    [Fact]
    public void An_expired_key_cannot_be_unexpired_or_re_dated()
    {
        var key = ApiKey.FromHistory([Created(expiresAt: Now.AddMinutes(-1))])!;
        Assert.Throws<DomainConflictException>(() => key.ChangeExpiry(null, Now));
        Assert.Throws<DomainConflictException>(() => key.ChangeExpiry(Now.AddDays(1), Now));

        var live = ApiKey.FromHistory([Created(expiresAt: Now.AddMinutes(1))])!;
        Assert.Null(live.ChangeExpiry(null, Now).ExpiresAt);
    }

    [Fact]
    public void A_deleted_key_accepts_no_further_commands()
    {
        var key = ApiKey.FromHistory([Created(expiresAt: null), new ApiKeyDeleted()])!;
        Assert.True(key.Deleted);
        Assert.Throws<DomainConflictException>(() => key.ChangeMonthlyLimit(1));
        Assert.Throws<DomainConflictException>(() => key.Delete());
    }

    [Fact]
    public void Key_events_map_to_integration_events_with_the_state_as_of_that_event()
    {
        var id = Guid.NewGuid();
        var history = new List<StoredEvent>
        {
            Stored(id, 1, Created(expiresAt: null, id)),
            Stored(id, 2, new ApiKeyMonthlyLimitChanged(3m)),
            Stored(id, 3, new ApiKeyMonthlyLimitChanged(4m)),
            Stored(id, 4, new ApiKeyDeleted()),
        };

        var atVersion2 = Assert.IsType<ApiKeyUpserted>(IntegrationEventMapper.Map(history[1], history));
        Assert.Equal(2, atVersion2.Key.Version);
        Assert.Equal(3m, atVersion2.Key.MonthlyLimitUsd);
        Assert.Equal(id, atVersion2.Key.ApiKeyId);

        var revoked = Assert.IsType<ApiKeyRevoked>(IntegrationEventMapper.Map(history[3], history));
        Assert.Equal(id, revoked.ApiKeyId);
        Assert.Equal("hash", revoked.KeyHash);
    }

    private static StoredEvent Stored(Guid streamId, long version, IDomainEvent data) =>
        new(version, streamId, ApiKey.StreamType, version, EventTypeRegistry.NameOf(data), data, new EventMetadata("test"), Now);

    private static ApiKeyCreated Created(DateTime? expiresAt, Guid? id = null) => new(
        id ?? Guid.NewGuid(), Guid.NewGuid(), "k", "hash", "rqsty-sk-abc", ApiKeyPermissions.Default, null,
        new Dictionary<string, string>(), expiresAt, null, null, null, null);
}
