using System.Text.Json.Nodes;
using Requesty.Router.Catalog;
using Requesty.Router.Providers.Google;

namespace Requesty.Router.Tests.Unit.ApiSurface;

/// <summary>The effort-to-budget table of the reasoning docs for Google (AI Studio and Vertex).</summary>
public class GeminiThinkingBudgetTests
{
    private static CatalogModel Model(string id) => BuiltInModels.All.Single(m => m.Id == id);

    [Theory]
    [InlineData("none", "google/gemini-2.5-flash", 0)]
    [InlineData("min", "google/gemini-2.5-flash", 0)]
    [InlineData("none", "google/gemini-2.5-pro", 128)]
    [InlineData("min", "vertex/gemini-2.5-pro", 128)]
    [InlineData("low", "google/gemini-2.5-flash", 1024)]
    [InlineData("medium", "google/gemini-2.5-flash", 8192)]
    [InlineData("high", "google/gemini-2.5-pro", 24576)]
    [InlineData("max", "google/gemini-2.5-pro", 65536)]
    [InlineData("10000", "google/gemini-2.5-flash", 10000)]
    [InlineData("100000", "google/gemini-2.5-flash", 65536)]
    public void Efforts_and_budgets_follow_the_table(string effort, string model, int budget) =>
        Assert.Equal(budget, GeminiRequestMapper.ThinkingBudget(effort, Model(model)));

    [Fact]
    public void The_budget_reaches_the_thinking_config_and_thoughts_are_included_only_when_there_is_one()
    {
        var pro = GeminiRequestMapper.FromOpenAIChat(Chat("none"), Model("google/gemini-2.5-pro"));
        var flash = GeminiRequestMapper.FromOpenAIChat(Chat("none"), Model("google/gemini-2.5-flash"));

        Assert.Equal("""{"thinkingBudget":128,"includeThoughts":true}""", pro["generationConfig"]!["thinkingConfig"]!.ToJsonString());
        Assert.Equal("""{"thinkingBudget":0,"includeThoughts":false}""", flash["generationConfig"]!["thinkingConfig"]!.ToJsonString());
    }

    private static JsonObject Chat(string effort) =>
        new() { ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "hi" }), ["reasoning_effort"] = effort };
}
