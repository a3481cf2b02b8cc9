using Requesty.Alerts.Application;
using Requesty.Contracts.Events;

namespace Requesty.Alerts.Tests.Application;

public sealed class SpendAttributionTests
{
    [Fact]
    public void A_user_key_without_groups_adds_to_the_organization_and_the_user()
    {
        var caller = new RequestCaller { OrganizationId = Guid.NewGuid(), ApiKeyId = Guid.NewGuid(), UserId = Guid.NewGuid() };

        var keys = SpendAttribution.KeysFor(caller);

        Assert.Equal(2, keys.Count);
        Assert.Contains(new SpendKey(SpendScope.Organization, caller.OrganizationId, Guid.Empty), keys);
        Assert.Contains(new SpendKey(SpendScope.User, caller.UserId!.Value, Guid.Empty), keys);
    }

    [Fact]
    public void A_key_without_a_user_is_accounted_as_the_key()
    {
        var group = Guid.NewGuid();
        var caller = new RequestCaller { OrganizationId = Guid.NewGuid(), ApiKeyId = Guid.NewGuid(), GroupIds = [group] };

        var keys = SpendAttribution.KeysFor(caller);

        Assert.Contains(new SpendKey(SpendScope.ApiKey, caller.ApiKeyId, Guid.Empty), keys);
        Assert.Contains(new SpendKey(SpendScope.GroupApiKey, caller.ApiKeyId, group), keys);
        Assert.Contains(new SpendKey(SpendScope.Group, group, group), keys);
        Assert.DoesNotContain(keys, k => k.Scope is SpendScope.User or SpendScope.GroupUser);
    }

    [Fact]
    public void Duplicate_groups_count_once_and_the_order_is_stable()
    {
        var group = Guid.NewGuid();
        var caller = new RequestCaller
        {
            OrganizationId = Guid.NewGuid(), ApiKeyId = Guid.NewGuid(), UserId = Guid.NewGuid(),
            GroupIds = [group, group, Guid.NewGuid()],
        };

        var keys = SpendAttribution.KeysFor(caller);

        Assert.Equal(6, keys.Count);
        Assert.Equal(keys.Count, keys.Distinct().Count());
        var ordered = keys.OrderBy(k => k.Scope, StringComparer.Ordinal).ThenBy(k => k.ScopeId).ThenBy(k => k.GroupId).ToList();
        Assert.Equal(ordered, keys);
    }
}
