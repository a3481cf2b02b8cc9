using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Requesty.Analytics.Tests.Support;
using Requesty.Contracts.Events;

namespace Requesty.Analytics.Tests.Integration;

[Collection(AnalyticsServiceCollection.Name)]
public class SessionsApiTests(AnalyticsServiceFixture service)
{
    private static readonly DateTime T0 = new(2025, 6, 10, 9, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task Multi_turn_conversations_are_reconstructed_and_a_shared_system_prompt_does_not_merge_them()
    {
        var org = Guid.NewGuid();
        const string system = "You are a helpful assistant.";
        var paris = Conversations.Chat(org, system,
            [("What is the capital of France?", "Paris."), ("What is its population?", "About 2 million."), ("And its area?", "105 km2.")],
            [T0, T0.AddMinutes(2), T0.AddMinutes(2)], costPerTurn: 0.5m);
        var rome = Conversations.Chat(org, system,
            [("What is the capital of Italy?", "Rome."), ("Its population?", "About 2.8 million.")],
            [T0.AddMinutes(1), T0.AddMinutes(3)], costPerTurn: 0.25m);
        var standalone = Events.Completed(org, startedAt: T0.AddMinutes(4)) with { Session = new SessionHashes() };
        // The same conversation in another organization must not join this one's sessions.
        var foreign = Conversations.Chat(Guid.NewGuid(), system, [("What is the capital of France?", "Paris."), ("What is its population?", "About 2 million.")],
            [T0, T0.AddMinutes(1)]);
        await service.Writer.WriteAsync([.. paris, .. rome, standalone, .. foreign], CancellationToken.None);
        using var api = service.CreateApiClient();

        var list = await api.GetFromJsonAsync<JsonElement>($"v1/analytics/sessions?org_id={org}&from=2025-06-10&to=2025-06-11");

        var sessions = list.GetProperty("sessions").EnumerateArray().ToList();
        Assert.Equal(3, list.GetProperty("total_sessions").GetInt32());
        Assert.Equal([standalone.RequestId, rome[0].RequestId, paris[0].RequestId], sessions.Select(s => s.GetProperty("session_id").GetGuid()));
        var parisSummary = sessions[2];
        Assert.Equal(3, parisSummary.GetProperty("requests").GetInt32());
        Assert.Equal(1.5m, parisSummary.GetProperty("cost_usd").GetDecimal());
        Assert.Equal(360, parisSummary.GetProperty("input_tokens").GetInt32());
        Assert.Equal(2, sessions[1].GetProperty("requests").GetInt32());
        Assert.Equal(0.5m, sessions[1].GetProperty("cost_usd").GetDecimal());

        var thread = await api.GetFromJsonAsync<JsonElement>($"v1/analytics/sessions/{paris[0].RequestId}?org_id={org}");
        var requests = thread.GetProperty("requests").EnumerateArray().ToList();
        Assert.Equal(paris.Select(p => p.RequestId), requests.Select(r => r.GetProperty("request_id").GetGuid()));
        Assert.Equal(JsonValueKind.Null, requests[0].GetProperty("parent_request_id").ValueKind);
        Assert.Equal(paris[0].RequestId, requests[1].GetProperty("parent_request_id").GetGuid());
        Assert.Equal(paris[1].RequestId, requests[2].GetProperty("parent_request_id").GetGuid());
        Assert.Equal(3, thread.GetProperty("summary").GetProperty("requests").GetInt32());

        var limited = await api.GetFromJsonAsync<JsonElement>($"v1/analytics/sessions?org_id={org}&from=2025-06-10&to=2025-06-11&limit=1");
        Assert.Equal(standalone.RequestId, Assert.Single(limited.GetProperty("sessions").EnumerateArray()).GetProperty("session_id").GetGuid());
    }

    [Fact]
    public async Task Unknown_sessions_are_404_and_bad_parameters_400()
    {
        using var api = service.CreateApiClient();
        using var missing = await api.GetAsync($"v1/analytics/sessions/{Guid.NewGuid()}?org_id={Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        using var badId = await api.GetAsync($"v1/analytics/sessions/nope?org_id={Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.BadRequest, badId.StatusCode);
        using var badLimit = await api.GetAsync($"v1/analytics/sessions?org_id={Guid.NewGuid()}&from=2025-06-10&to=2025-06-11&limit=0");
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
        Assert.True((await badLimit.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("limit", out _));
        using var noOrg = await api.GetAsync("v1/analytics/sessions?from=2025-06-10&to=2025-06-11");
        Assert.Equal(HttpStatusCode.BadRequest, noOrg.StatusCode);
    }
}

[Collection(AnalyticsServiceCollection.Name)]
public class SessionLookupTests(AnalyticsServiceFixture service)
{
    [Fact]
    public async Task A_later_turn_finds_its_whole_session_when_the_range_covers_it()
    {
        var org = Guid.NewGuid();
        var start = new DateTime(2025, 6, 12, 8, 0, 0, DateTimeKind.Utc);
        var chat = Conversations.Chat(org, "sys", [("hi", "hello"), ("how are you?", "fine"), ("bye", "bye")],
            [start, start.AddMinutes(1), start.AddMinutes(2)]);
        await service.Writer.WriteAsync(chat, CancellationToken.None);
        using var api = service.CreateApiClient();

        var thread = await api.GetFromJsonAsync<JsonElement>($"v1/analytics/sessions/{chat[1].RequestId}?org_id={org}&from=2025-06-12&to=2025-06-13");

        Assert.Equal(chat[0].RequestId, thread.GetProperty("summary").GetProperty("session_id").GetGuid());
        Assert.Equal(chat.Select(c => c.RequestId), thread.GetProperty("requests").EnumerateArray().Select(r => r.GetProperty("request_id").GetGuid()));
    }
}
