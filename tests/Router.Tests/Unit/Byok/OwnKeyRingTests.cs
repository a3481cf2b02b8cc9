using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Requesty.Contracts.Management;
using Requesty.Router.Byok;

namespace Requesty.Router.Tests.Unit.Byok;

public sealed class OwnKeyRingTests
{
    private static readonly Guid Org = Guid.NewGuid();
    private static readonly string OldMaster = OwnKeySealer.NewMasterKey();
    private static readonly string NewMaster = OwnKeySealer.NewMasterKey();

    private static OwnKeyRing Ring(params (string Id, string Key)[] masterKeys)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(masterKeys.Select(k => new KeyValuePair<string, string?>($"Byok:MasterKeys:{k.Id}", k.Key)))
            .Build();
        return new OwnKeyRing(new ByokKeyOpener(configuration), NullLogger<OwnKeyRing>.Instance);
    }

    [Fact]
    public void A_sealed_key_is_decrypted_with_the_master_key_it_names_during_a_rotation()
    {
        var ring = Ring(("k1", OldMaster), ("k2", NewMaster));
        ring.ReplaceAll([
            OwnKeySealer.Seal(OldMaster, "k1", Org, "openai", "sk-org-openai-sealed-under-k1"),
            OwnKeySealer.Seal(NewMaster, "k2", Org, "anthropic", "sk-ant-org-sealed-under-k2"),
        ]);

        Assert.True(ring.IsLoaded);
        Assert.True(ring.TryGet(Org, "openai", out var openai));
        Assert.Equal("sk-org-openai-sealed-under-k1", openai);
        Assert.True(ring.TryGet(Org, "anthropic", out var anthropic));
        Assert.Equal("sk-ant-org-sealed-under-k2", anthropic);
        // The Responses API is OpenAI's: it takes the OpenAI key.
        Assert.True(ring.TryGet(Org, "openai-responses", out var responses));
        Assert.Equal(openai, responses);
        Assert.False(ring.TryGet(Org, "google", out _));
        Assert.False(ring.TryGet(Guid.NewGuid(), "openai", out _));
    }

    [Fact]
    public void Keys_under_an_unknown_master_key_or_bound_to_another_organisation_or_tampered_are_unusable()
    {
        var ring = Ring(("k2", NewMaster));
        var otherOrg = Guid.NewGuid();
        var moved = OwnKeySealer.Seal(NewMaster, "k2", otherOrg, "openai", "sk-belongs-to-another-org") with { OrganizationId = Org };
        var tampered = OwnKeySealer.Seal(NewMaster, "k2", Org, "google", "sk-google-key-tampered-with");
        var bytes = Convert.FromBase64String(tampered.Ciphertext);
        bytes[0] ^= 1;
        ring.ReplaceAll([
            OwnKeySealer.Seal(OldMaster, "k1", Org, "anthropic", "sk-ant-sealed-under-retired-k1"),
            moved,
            tampered with { Ciphertext = Convert.ToBase64String(bytes) },
        ]);

        Assert.False(ring.TryGet(Org, "anthropic", out _));
        Assert.False(ring.TryGet(Org, "openai", out _));
        Assert.False(ring.TryGet(Org, "google", out _));
        Assert.Equal(0, ring.Count);
    }

    [Fact]
    public void Newer_versions_win_and_a_late_older_event_cannot_bring_a_removed_key_back()
    {
        var ring = Ring(("k2", NewMaster));
        ring.Upsert(OwnKeySealer.Seal(NewMaster, "k2", Org, "xai", "xai-second-version-key", version: 2));
        ring.Upsert(OwnKeySealer.Seal(NewMaster, "k2", Org, "xai", "xai-first-version-key-", version: 1));
        Assert.True(ring.TryGet(Org, "xai", out var current));
        Assert.Equal("xai-second-version-key", current);

        ring.Apply(new ByokKeyChanged { OrganizationId = Org, Provider = "xai", Removed = true, Version = 3, OccurredAt = DateTime.UtcNow });
        ring.Apply(new ByokKeyChanged
        {
            OrganizationId = Org, Provider = "xai", Version = 2, OccurredAt = DateTime.UtcNow,
            Key = OwnKeySealer.Seal(NewMaster, "k2", Org, "xai", "xai-second-version-key", version: 2),
        });
        Assert.False(ring.TryGet(Org, "xai", out _));

        // Set again after the removal: a higher version on the same stream.
        ring.Upsert(OwnKeySealer.Seal(NewMaster, "k2", Org, "xai", "xai-fourth-version-key", version: 4));
        Assert.True(ring.TryGet(Org, "xai", out current));
        Assert.Equal("xai-fourth-version-key", current);
    }

    [Fact]
    public void A_snapshot_drops_keys_removed_meanwhile()
    {
        var ring = Ring(("k2", NewMaster));
        ring.ReplaceAll([OwnKeySealer.Seal(NewMaster, "k2", Org, "openai", "sk-openai-key-in-first-snapshot")]);
        Assert.True(ring.TryGet(Org, "openai", out _));

        ring.ReplaceAll([]);
        Assert.False(ring.TryGet(Org, "openai", out _));
    }
}
