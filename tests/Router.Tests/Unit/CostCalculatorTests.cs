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

public class ReasoningPriceTests
{
    // Output 10.00, reasoning 3.50 per million: a provider that bills thinking apart from the answer.
    private static readonly ModelPrice Thinker = new(1.25m, 10.00m, 0.125m, 0m, ReasoningPerMillion: 3.50m);

    [Fact]
    public void Reasoning_tokens_are_billed_at_the_reasoning_price_and_only_once()
    {
        // Usage reports reasoning inside the output count: 700 output tokens of which 400 are reasoning.
        var usage = new TokenUsage { InputTokens = 1000, OutputTokens = 700, ReasoningTokens = 400 };

        Assert.Equal((1000 * 1.25m + 300 * 10.00m + 400 * 3.50m) / 1_000_000m, CostCalculator.Cost(usage, Thinker));
        Assert.Equal(0.00565m, CostCalculator.Cost(usage, Thinker));
        Assert.Equal(0.00565m, CostCalculator.CostWithoutCache(usage, Thinker));
    }

    [Fact]
    public void Without_a_reasoning_price_reasoning_is_output()
    {
        var usage = new TokenUsage { InputTokens = 1000, OutputTokens = 700, ReasoningTokens = 400 };
        var plain = Thinker with { ReasoningPerMillion = null };

        Assert.Equal(0.00825m, CostCalculator.Cost(usage, plain));
    }

    [Fact]
    public void Cached_input_and_reasoning_together_keep_every_digit()
    {
        var usage = new TokenUsage { InputTokens = 3, CacheReadTokens = 7, OutputTokens = 5, ReasoningTokens = 2 };

        Assert.Equal(0.000041625m, CostCalculator.Cost(usage, Thinker)); // (3.75 + 0.875 + 30 + 7) / 1e6
        Assert.Equal(0.0000495m, CostCalculator.CostWithoutCache(usage, Thinker)); // 12.5 + 30 + 7
    }

    [Fact]
    public void A_reasoning_count_above_the_output_count_is_capped_at_it()
    {
        var usage = new TokenUsage { OutputTokens = 10, ReasoningTokens = 25 };

        Assert.Equal(10 * 3.50m / 1_000_000m, CostCalculator.Cost(usage, Thinker));
    }
}
