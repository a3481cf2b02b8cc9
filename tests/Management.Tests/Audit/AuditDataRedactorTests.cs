using Requesty.Management.Application.Audit;
using Requesty.Management.Domain.ApiKeys;
using Requesty.Management.Domain.Byok;

namespace Requesty.Management.Tests.Audit;

public sealed class AuditDataRedactorTests
{
    [Fact]
    public void Byok_ciphertext_nonce_tag_and_sealed_key_are_never_shown()
    {
        var set = new ByokKeySet(Guid.NewGuid(), "openai", new SealedProviderKey("master-1", "bm9uY2U=", "Y2lwaGVydGV4dA==", "dGFn"), "...wxyz", null);

        var json = AuditDataRedactor.Redact(set)!.ToJsonString();

        Assert.DoesNotContain("Y2lwaGVydGV4dA==", json);
        Assert.DoesNotContain("bm9uY2U=", json);
        Assert.DoesNotContain("dGFn", json);
        Assert.DoesNotContain("master-1", json);
        Assert.Contains("\"provider\":\"openai\"", json);
        Assert.Contains("\"hint\":\"...wxyz\"", json);
    }

    [Fact]
    public void Key_hashes_are_dropped_and_ids_and_settings_kept()
    {
        var id = Guid.NewGuid();
        var created = new ApiKeyCreated(id, Guid.NewGuid(), "ci", new string('a', 64), "rqsty-sk-abc", ["chat"], 5m,
            new Dictionary<string, string> { ["env"] = "prod" }, null, null, null, null, null);

        var data = AuditDataRedactor.Redact(created)!;

        Assert.Null(data["key_hash"]);
        Assert.Equal(id, data["api_key_id"]!.GetValue<Guid>());
        Assert.Equal("rqsty-sk-abc", data["prefix"]!.GetValue<string>());
        Assert.Equal("prod", data["labels"]!["env"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("key_hash", true)]
    [InlineData("ciphertext", true)]
    [InlineData("encrypted_headers", true)]
    [InlineData("provider_key", true)]
    [InlineData("client_secret", true)]
    [InlineData("api_key_id", false)]
    [InlineData("key_source", false)]
    [InlineData("monthly_limit", false)]
    [InlineData("tags", false)]
    public void Sensitive_names_are_recognised(string name, bool sensitive) =>
        Assert.Equal(sensitive, AuditDataRedactor.IsSensitive(name));
}
