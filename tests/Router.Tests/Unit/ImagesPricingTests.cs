using System.Text;
using System.Text.Json.Nodes;
using Requesty.Router.Catalog;
using Requesty.Router.Endpoints.Images;
using Requesty.Router.Providers.OpenAI;

namespace Requesty.Router.Tests.Unit;

public sealed class ImagesPricingTests
{
    private static readonly CatalogModel DallE3 = BuiltInModels.All.Single(m => m.Id == "openai/dall-e-3");
    private static readonly CatalogModel GptImage = BuiltInModels.All.Single(m => m.Id == "openai/gpt-image-1");

    [Theory]
    [InlineData(null, null, "0.040")]
    [InlineData("auto", "auto", "0.040")]
    [InlineData("standard", "1792x1024", "0.080")]
    [InlineData("hd", null, "0.080")]
    [InlineData("HD", "1024x1792", "0.120")]
    public void Dall_e_3_is_priced_per_image_by_quality_and_size(string? quality, string? size, string expected)
    {
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), ImagePricing.Find(DallE3, quality, size)!.PerImage);
    }

    [Fact]
    public void Unknown_combinations_have_no_price_and_say_which_param_is_wrong()
    {
        Assert.Null(ImagePricing.Find(DallE3, "standard", "256x256"));
        Assert.Null(ImagePricing.Find(DallE3, "low", null));
        Assert.True(ImagePricing.OffersQuality(DallE3, "hd"));
        Assert.False(ImagePricing.OffersQuality(DallE3, "low"));
    }

    [Fact]
    public void Gpt_image_is_token_billed_not_per_image()
    {
        Assert.False(ImagePricing.IsPerImage(GptImage));
        Assert.Null(ImagePricing.Find(GptImage, "high", "1024x1024"));
        Assert.True(ImagePricing.IsPerImage(DallE3));
        Assert.All(BuiltInModels.All.Where(m => m.Kind == ModelKind.Image), m => Assert.Equal("openai", m.Provider));
    }

    [Fact]
    public void An_images_answer_gives_the_image_count_and_token_usage_with_cached_input_apart()
    {
        var answer = Encoding.UTF8.GetBytes("""
            {"created":1,"data":[{"b64_json":"AA=="},{"b64_json":"AA=="}],
             "usage":{"input_tokens":50,"output_tokens":544,"total_tokens":594,"input_tokens_details":{"text_tokens":50,"image_tokens":0,"cached_tokens":20}}}
            """);

        var (images, usage) = ImagesExchange.Read(answer);

        Assert.Equal(2, images);
        Assert.Equal(30, usage!.InputTokens);
        Assert.Equal(20, usage.CacheReadTokens);
        Assert.Equal(544, usage.OutputTokens);
    }

    [Fact]
    public void A_dall_e_answer_without_usage_still_counts_its_images()
    {
        var (images, usage) = ImagesExchange.Read(Encoding.UTF8.GetBytes("""{"created":1,"data":[{"url":"https://x/1.png"}]}"""));

        Assert.Equal(1, images);
        Assert.Null(usage);
        Assert.Null(ImagesUsage.Read(JsonValue.Create(3)));
    }
}
