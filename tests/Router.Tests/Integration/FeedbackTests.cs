using System.ClientModel;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OpenAI.Chat;
using Requesty.Contracts.Events;
using Requesty.TestKit;

namespace Requesty.Router.Tests.Integration;

public sealed class FeedbackTests : IAsyncLifetime
{
    private RouterHarness _harness = null!;
    private EventProbe<FeedbackSubmitted> _feedback = null!;

    public async Task InitializeAsync()
    {
        _feedback = await EventProbe<FeedbackSubmitted>.StartAsync();
        _harness = await RouterHarness.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
        await _feedback.DisposeAsync();
    }

    private async Task<string> CompleteAsync()
    {
        var client = new ChatClient("openai/gpt-4o-mini", new ApiKeyCredential(_harness.ApiKey), _harness.OpenAIOptions());
        var result = await client.CompleteChatAsync([new UserChatMessage("Rate me")]);
        Assert.Equal(result.GetRawResponse().Headers.TryGetValue("x-request-id", out var requestId) ? requestId : null, result.Value.Id);
        return result.Value.Id;
    }

    [Fact]
    public async Task Feedback_on_the_id_of_an_answer_is_published_for_analytics()
    {
        var id = await CompleteAsync();
        using var http = _harness.CreateRouterClient();

        using var response = await http.PostAsJsonAsync($"feedback/{id}", new { data = new { rating = 5, helpful = true } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var published = await _feedback.WaitForAsync(f => f.RequestId.ToString() == id);
        Assert.Equal(_harness.Key.OrganizationId, published.OrganizationId);
        Assert.Equal(_harness.Key.ApiKeyId, published.ApiKeyId);
        Assert.Equal(5, JsonNode.Parse(published.Data)!["rating"]!.GetValue<int>());
    }

    [Fact]
    public async Task Another_organisations_request_and_an_unknown_request_look_the_same_404()
    {
        var id = await CompleteAsync();
        using var other = _harness.Router.CreateClient();
        other.DefaultRequestHeaders.Authorization = new("Bearer", _harness.OtherOrganizationApiKey);
        using var own = _harness.CreateRouterClient();

        using var foreign = await other.PostAsJsonAsync($"feedback/{id}", new { data = new { rating = 1 } });
        using var unknown = await own.PostAsJsonAsync($"feedback/{Guid.NewGuid()}", new { data = new { rating = 1 } });

        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("request_not_found", JsonNode.Parse(await foreign.Content.ReadAsStringAsync())!["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Bad_feedback_requests_get_400_and_no_key_gets_401()
    {
        var id = await CompleteAsync();
        using var http = _harness.CreateRouterClient();
        using var badId = await http.PostAsJsonAsync("feedback/not-an-id", new { data = new { rating = 1 } });
        using var noData = await http.PostAsJsonAsync($"feedback/{id}", new { rating = 1 });
        using var anonymous = await _harness.Router.CreateClient().PostAsJsonAsync($"feedback/{id}", new { data = new { rating = 1 } });

        Assert.Equal(HttpStatusCode.BadRequest, badId.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noData.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }
}
