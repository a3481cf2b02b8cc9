using Requesty.Contracts.Keys;
using Requesty.Contracts.Management;
using Requesty.Router.Budget;
using Requesty.Router.Catalog;

namespace Requesty.Router.Tests.Unit.Budget;

public sealed class SpendBlockSetTests
{
    private static readonly DateTime November = new(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero));
    private readonly ApiKeyContext _caller = new()
    {
        KeyHash = "hash",
        ApiKeyId = Guid.NewGuid(),
        OrganizationId = Guid.NewGuid(),
        UserId = Guid.NewGuid(),
        ProjectId = Guid.NewGuid(),
        GroupIds = [Guid.NewGuid(), Guid.NewGuid()],
    };

    private static SpendLimitReached Reached(string scope, Guid id, DateTime month, long version = 1) => new()
    {
        OrganizationId = Guid.NewGuid(), Scope = scope, ScopeId = id, Month = month, SpendUsd = 1m, LimitUsd = 1m,
        OccurredAt = month.AddDays(3), Version = version,
    };

    private static SpendLimitCleared Cleared(string scope, Guid id, DateTime month, long version) => new()
    {
        OrganizationId = Guid.NewGuid(), Scope = scope, ScopeId = id, Month = month, SpendUsd = 1m, LimitUsd = 5m,
        OccurredAt = month.AddDays(4), Version = version,
    };

    [Fact]
    public void Nothing_is_blocked_until_a_block_arrives()
    {
        var blocks = new SpendBlockSet(_clock);
        Assert.Null(blocks.BlockedScope(_caller));

        blocks.Apply(Reached(SpendScopes.ApiKey, Guid.NewGuid(), November));

        Assert.Null(blocks.BlockedScope(_caller));
    }

    [Theory]
    [InlineData(SpendScopes.ApiKey)]
    [InlineData(SpendScopes.User)]
    [InlineData(SpendScopes.Project)]
    [InlineData(SpendScopes.Group)]
    [InlineData(SpendScopes.Organization)]
    public void A_block_on_any_of_the_callers_scopes_blocks_the_caller(string scope)
    {
        var blocks = new SpendBlockSet(_clock);
        var id = scope switch
        {
            SpendScopes.ApiKey => _caller.ApiKeyId,
            SpendScopes.User => _caller.UserId!.Value,
            SpendScopes.Project => _caller.ProjectId!.Value,
            SpendScopes.Group => _caller.GroupIds[1],
            _ => _caller.OrganizationId,
        };

        blocks.Apply(Reached(scope, id, November));

        Assert.Equal(scope, blocks.BlockedScope(_caller));
    }

    [Fact]
    public void A_block_of_last_month_no_longer_applies_after_the_month_rolls_over()
    {
        var blocks = new SpendBlockSet(_clock);
        blocks.Apply(Reached(SpendScopes.ApiKey, _caller.ApiKeyId, November));
        Assert.Equal(SpendScopes.ApiKey, blocks.BlockedScope(_caller));

        _clock.Now = new DateTimeOffset(2026, 11, 30, 23, 59, 59, TimeSpan.Zero);
        Assert.Equal(SpendScopes.ApiKey, blocks.BlockedScope(_caller));

        _clock.Now = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Null(blocks.BlockedScope(_caller));
    }

    [Fact]
    public void A_block_for_another_month_than_now_does_not_apply()
    {
        var blocks = new SpendBlockSet(_clock);
        blocks.Apply(Reached(SpendScopes.ApiKey, _caller.ApiKeyId, November.AddMonths(-1)));

        Assert.Null(blocks.BlockedScope(_caller));
    }

    [Fact]
    public void A_clear_lifts_the_block_and_a_late_older_block_does_not_come_back()
    {
        var blocks = new SpendBlockSet(_clock);
        blocks.Apply(Reached(SpendScopes.User, _caller.UserId!.Value, November, version: 1));
        blocks.Apply(Cleared(SpendScopes.User, _caller.UserId!.Value, November, version: 2));
        Assert.Null(blocks.BlockedScope(_caller));

        blocks.Apply(Reached(SpendScopes.User, _caller.UserId!.Value, November, version: 1)); // redelivered late
        Assert.Null(blocks.BlockedScope(_caller));

        blocks.Apply(Reached(SpendScopes.User, _caller.UserId!.Value, November, version: 3));
        Assert.Equal(SpendScopes.User, blocks.BlockedScope(_caller));
    }

    [Fact]
    public void A_snapshot_replaces_the_set_but_keeps_newer_events_that_arrived_while_it_was_loading()
    {
        var blocks = new SpendBlockSet(_clock);
        var otherKey = Guid.NewGuid();
        blocks.Apply(Reached(SpendScopes.ApiKey, otherKey, November, version: 1));

        var mark = blocks.Mark();
        blocks.Apply(Reached(SpendScopes.Project, _caller.ProjectId!.Value, November, version: 4)); // arrives during the load
        blocks.ReplaceAll([new SpendBlock
        {
            OrganizationId = _caller.OrganizationId, Scope = SpendScopes.ApiKey, ScopeId = _caller.ApiKeyId,
            Month = November, SpendUsd = 2m, LimitUsd = 2m, Version = 7,
        }], mark);

        Assert.True(blocks.IsLoaded);
        Assert.Equal(SpendScopes.ApiKey, blocks.BlockedScope(_caller));
        Assert.Null(blocks.BlockedScope(_caller with { ApiKeyId = otherKey, UserId = null, GroupIds = [], ProjectId = null }));
        Assert.Equal(SpendScopes.Project, blocks.BlockedScope(_caller with { ApiKeyId = Guid.NewGuid() }));
    }

    [Fact]
    public void Only_models_whose_prices_are_all_zero_are_free()
    {
        CatalogModel Model(ModelPrice price) => new()
        {
            Id = "local/m", Provider = "local", UpstreamModel = "m", Kind = ModelKind.Chat, Price = price,
        };

        Assert.True(BudgetGate.IsFree(Model(new ModelPrice(0m, 0m))));
        Assert.False(BudgetGate.IsFree(Model(new ModelPrice(0m, 0.01m))));
        Assert.False(BudgetGate.IsFree(Model(new ModelPrice(0m, 0m, CacheReadPerMillion: 0.1m))));
        Assert.False(BudgetGate.IsFree(Model(new ModelPrice(0m, 0m, ReasoningPerMillion: 1m))));
        Assert.False(BudgetGate.IsFree(Model(new ModelPrice(0m, 0m)) with { ImagePrices = [new ImagePrice("standard", "1024x1024", 0.04m)] }));
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
