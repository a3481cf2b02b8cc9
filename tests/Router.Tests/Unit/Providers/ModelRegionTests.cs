using Requesty.Router.Catalog;

namespace Requesty.Router.Tests.Unit.Providers;

public sealed class ModelRegionTests
{
    private static readonly ModelCatalog Catalog = new(BuiltInModels.All);

    [Theory]
    [InlineData("anthropic/claude-sonnet-4-5@eu", "anthropic/claude-sonnet-4-5", "eu")]
    [InlineData("bedrock/claude-sonnet-4-5-v2@eu-central-1", "bedrock/claude-sonnet-4-5-v2", "eu-central-1")]
    [InlineData("vertex/claude-sonnet-4-5@20250929@europe-west1", "vertex/claude-sonnet-4-5@20250929", "europe-west1")]
    [InlineData("azure/gpt-4o@SwedenCentral", "azure/gpt-4o", "swedencentral")]
    public void The_region_is_the_part_after_the_last_at_sign(string id, string baseId, string region) =>
        Assert.Equal((baseId, region), ModelCatalog.SplitRegion(id));

    [Theory]
    [InlineData("openai/gpt-4o")]
    [InlineData("openai/gpt-4o@")]
    [InlineData("@eu")]
    [InlineData("openai/gpt-4o@eu west")]
    public void Ids_without_a_well_formed_suffix_have_no_region(string id) =>
        Assert.Equal((null, null), ModelCatalog.SplitRegion(id));

    [Fact]
    public void A_regional_id_serves_the_global_model_in_that_region()
    {
        Assert.True(Catalog.TryFind("anthropic/claude-sonnet-4-5@eu", out var model));

        Assert.Equal("anthropic/claude-sonnet-4-5@eu", model.Id);
        Assert.Equal("eu", model.Region);
        Assert.Equal("anthropic", model.Provider);
        Assert.Equal("claude-sonnet-4-5", model.UpstreamModel);
        Assert.Equal(BuiltInModels.All.Single(m => m.Id == "anthropic/claude-sonnet-4-5").Price, model.Price);
    }

    [Fact]
    public void An_exact_id_wins_over_the_region_fallback_and_unknown_models_stay_unknown()
    {
        var catalog = new ModelCatalog([.. BuiltInModels.All, BuiltInModels.All.Single(m => m.Id == "openai/gpt-4o") with { Id = "openai/gpt-4o@eu", Region = "eu", UpstreamModel = "gpt-4o-eu" }]);

        Assert.True(catalog.TryFind("openai/gpt-4o@eu", out var exact));
        Assert.Equal("gpt-4o-eu", exact.UpstreamModel);
        Assert.False(catalog.TryFind("openai/no-such-model@eu", out _));
        Assert.True(catalog.TryFind("openai/gpt-4o", out var global));
        Assert.Equal("us", global.Region);
    }
}
