using System.Net;
using System.Net.Http.Json;
using Requesty.Contracts.Events;
using Requesty.TestKit;

namespace Requesty.Router.Tests.Integration;

public sealed class JournalDurabilityTests
{
    [Fact]
    public async Task Events_of_requests_served_while_the_broker_was_unreachable_are_published_after_restart()
    {
        using var folder = new TemporaryDirectory("router-journal-");
        var journal = folder.Path;
        var apiKey = "rqsty-sk-durable-" + Guid.NewGuid().ToString("N");
        var requestIds = new List<string>();

        // Port 1 on loopback: nothing listens, the bus cannot connect.
        await using (var offline = await RouterHarness.StartAsync(rabbitMqUri: "amqp://requesty:requesty@127.0.0.1:1/requesty_test", journalDirectory: journal, apiKey: apiKey))
        {
            using var http = offline.CreateRouterClient();
            for (var i = 0; i < 3; i++)
            {
                using var response = await http.PostAsJsonAsync("v1/chat/completions", new { model = "openai/gpt-4o-mini", messages = new[] { new { role = "user", content = $"offline {i}" } } });
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                requestIds.Add(response.Headers.GetValues("x-request-id").Single());
            }
        }

        await using var events = await EventProbe<RequestCompleted>.StartAsync();
        await using var online = await RouterHarness.StartAsync(journalDirectory: journal, apiKey: apiKey);

        foreach (var id in requestIds)
        {
            await events.WaitForAsync(e => e.RequestId.ToString() == id, TimeSpan.FromSeconds(30));
        }
    }
}
