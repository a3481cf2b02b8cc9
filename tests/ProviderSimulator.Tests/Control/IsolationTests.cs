using System.Net;
using Requesty.ProviderSimulator.Tests.Support;
using Requesty.TestKit;

namespace Requesty.ProviderSimulator.Tests.Control;

public class IsolationTests
{
    [Fact]
    public async Task Two_simulators_in_one_process_keep_their_own_rules_and_logs()
    {
        await using var first = await ServiceHost.StartAsync(SimulatorApp.Build);
        await using var second = await ServiceHost.StartAsync(SimulatorApp.Build);
        using var firstClient = first.CreateClient();
        using var secondClient = second.CreateClient();
        const string chat = """{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]}""";

        (await firstClient.PutAsync("__sim/behaviour", new StringContent("""{"status":500}""", System.Text.Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.InternalServerError, (await firstClient.SendAsync(RawHttp.OpenAI("v1/chat/completions", chat))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await secondClient.SendAsync(RawHttp.OpenAI("v1/chat/completions", chat))).StatusCode);
        var secondLog = await secondClient.GetStringAsync("__sim/requests");
        Assert.Single(System.Text.Json.Nodes.JsonNode.Parse(secondLog)!.AsArray());
    }
}
