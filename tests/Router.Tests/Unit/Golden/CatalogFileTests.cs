using System.Text;
using Microsoft.Extensions.Configuration;
using Requesty.Router.Catalog;
using Requesty.TestKit;

namespace Requesty.Router.Tests.Unit.Golden;

public sealed class CatalogFileTests : IDisposable
{
    private readonly TemporaryDirectory _files = new("catalogue-test-");

    public void Dispose() => _files.Dispose();

    [Fact]
    public void The_data_file_has_every_model_of_the_former_CSharp_list_with_identical_prices_and_limits()
    {
        var loaded = BuiltInModels.All.ToDictionary(m => m.Id);
        // Models added since (Vertex, Gemini embeddings and image output...) come on top of the former list.
        Assert.True(loaded.Count >= LegacyBuiltInModels.All.Count);
        foreach (var expected in LegacyBuiltInModels.All)
        {
            Assert.True(loaded.TryGetValue(expected.Id, out var actual), $"{expected.Id} is missing from models.json");
            Assert.Equal(expected.Provider, actual.Provider);
            Assert.Equal(expected.UpstreamModel, actual.UpstreamModel);
            Assert.Equal(expected.Kind, actual.Kind);
            Assert.Equal(expected.Price, actual.Price);
            Assert.Equal(expected.ContextWindow, actual.ContextWindow);
            Assert.Equal(expected.MaxOutputTokens, actual.MaxOutputTokens);
            Assert.Equal(expected.SupportsTools, actual.SupportsTools);
            Assert.Equal(expected.SupportsVision, actual.SupportsVision);
            Assert.Equal(expected.SupportsReasoning, actual.SupportsReasoning);
            Assert.Equal(expected.SupportsStreaming, actual.SupportsStreaming);
            Assert.Equal(expected.Region, actual.Region);
            Assert.Equal(expected.ImagePrices, actual.ImagePrices);
        }
    }

    [Fact]
    public void Capabilities_beyond_the_former_list_follow_the_prices_and_kinds()
    {
        Assert.All(BuiltInModels.All.Where(m => m.Kind == ModelKind.Chat),
            m => Assert.Equal(m.Price.CacheReadPerMillion > 0m, m.SupportsCaching));
        Assert.All(BuiltInModels.All.Where(m => m.Kind == ModelKind.Embedding), m => Assert.True(m.SupportsEmbeddings));
        Assert.All(BuiltInModels.All.Where(m => m.Kind == ModelKind.Image), m => Assert.True(m.SupportsImageOutput));
        Assert.True(BuiltInModels.All.Single(m => m.Id == "anthropic/claude-sonnet-4-5").SupportsPdf);
    }

    [Fact]
    public void A_configured_file_replaces_the_built_in_list()
    {
        var path = WriteTemp("""
            { "models": [ { "id": "local/tiny", "provider": "local", "upstream_model": "tiny-1", "kind": "chat",
              "context_window": 4096, "max_output_tokens": 1024, "capabilities": ["tools", "streaming"],
              "prices": { "input": 0.1, "output": 0.2, "reasoning": 0.5 } } ] }
            """);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("Catalog:File", path)]).Build();

        var model = Assert.Single(CatalogFile.Load(configuration));

        Assert.Equal("local/tiny", model.Id);
        Assert.Equal("tiny-1", model.UpstreamModel);
        Assert.Equal(new ModelPrice(0.1m, 0.2m, 0m, 0m, 0.5m), model.Price);
        Assert.Equal("us", model.Region);
        Assert.True(model.SupportsTools);
        Assert.False(model.SupportsVision);
    }

    [Fact]
    public void Without_configuration_the_embedded_list_is_served() =>
        Assert.Same(BuiltInModels.All, CatalogFile.Load(new ConfigurationBuilder().Build()));

    [Theory]
    [InlineData("""{ "models": [ MODEL, MODEL ] }""", "duplicate id 'local/tiny'")]
    [InlineData("""{ "models": [ { "id": "local/x", "provider": "local", "upstream_model": "x", "kind": "chat", "prices": { "input": -1, "output": 0 } } ] }""", "prices.input must not be negative")]
    [InlineData("""{ "models": [ { "id": "local/x", "provider": "local", "upstream_model": "x", "kind": "audio", "prices": { "input": 1, "output": 0 } } ] }""", "kind 'audio' is unknown")]
    [InlineData("""{ "models": [ { "id": "local/x", "provider": "local", "upstream_model": "x", "kind": "chat", "capabilities": ["telepathy"], "prices": { "input": 1, "output": 0 } } ] }""", "capabilities 'telepathy' is unknown")]
    [InlineData("""{ "models": [ { "id": "local/x", "provider": "local", "upstream_model": "x", "kind": "chat" } ] }""", "prices are required")]
    [InlineData("""{ "models": [ { "id": "local/x", "provider": "local", "upstream_model": "x", "kind": "chat", "prize": 1, "prices": { "input": 1, "output": 0 } } ] }""", "prize")]
    [InlineData("""{ "models": [ { "id": "x", "provider": "local", "upstream_model": "x", "kind": "chat", "prices": { "input": 1, "output": 0 } } ] }""", "id must be 'provider/model'")]
    [InlineData("""{ "models": [ """, "is not valid")]
    public void An_invalid_file_stops_the_start_with_a_message_naming_the_problem(string json, string expected)
    {
        json = json.Replace("MODEL", """{ "id": "local/tiny", "provider": "local", "upstream_model": "tiny", "kind": "chat", "prices": { "input": 1, "output": 2 } }""");

        var error = Assert.Throws<CatalogFileException>(() => CatalogFile.Parse(new MemoryStream(Encoding.UTF8.GetBytes(json)), "test.json"));

        Assert.Contains(expected, error.Message);
        Assert.Contains("test.json", error.Message);
    }

    [Fact]
    public void A_missing_configured_file_is_named_in_the_error()
    {
        var path = Path.Combine(Path.GetTempPath(), "no-such-catalogue-" + Guid.NewGuid().ToString("N") + ".json");
        var error = Assert.Throws<CatalogFileException>(() => CatalogFile.LoadFile(path));
        Assert.Contains(path, error.Message);
    }

    private string WriteTemp(string json)
    {
        var path = Path.Combine(_files.Path, "catalogue.json");
        File.WriteAllText(path, json);
        return path;
    }
}
