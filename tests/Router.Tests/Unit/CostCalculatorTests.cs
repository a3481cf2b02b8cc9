using Requesty.Contracts.Events;
using Requesty.Router.Accounting;
using Requesty.Router.Catalog;

namespace Requesty.Router.Tests.Unit;

public class CostCalculatorTests
{
    private static readonly ModelPrice Mini = new(0.15m, 0.60m, 0.075m);
    private static readonly ModelPrice Sonnet = new(3.00m, 15.00m, 0.30m, 3.75m);

    [Fact]
    public void Charges_each_token_kind_at_its_own_price_exactly()
    {
        var usage = new TokenUsage { InputTokens = 1000, CacheReadTokens = 2000, OutputTokens = 500 };

        Assert.Equal(0.0006m, CostCalculator.Cost(usage, Mini));
        Assert.Equal(0.00075m, CostCalculator.CostWithoutCache(usage, Mini));
    }

    [Fact]
    public void Cache_writes_cost_more_than_plain_input_so_savings_can_be_negative()
    {
        var usage = new TokenUsage { InputTokens = 10, CacheWriteTokens = 1000, OutputTokens = 1 };

        Assert.Equal((10 * 3.00m + 1000 * 3.75m + 1 * 15.00m) / 1_000_000m, CostCalculator.Cost(usage, Sonnet));
        Assert.Equal((1010 * 3.00m + 1 * 15.00m) / 1_000_000m, CostCalculator.CostWithoutCache(usage, Sonnet));
    }

    [Fact]
    public void Tiny_costs_keep_every_digit()
    {
        var usage = new TokenUsage { InputTokens = 1 };
        Assert.Equal(0.00000015m, CostCalculator.Cost(usage, Mini));
    }

    [Fact]
    public void Zero_usage_costs_nothing() =>
        Assert.Equal(0m, CostCalculator.Cost(new TokenUsage(), Sonnet));
}
