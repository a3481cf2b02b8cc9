using System.Net;
using Requesty.ProviderSimulator.Behaviour;
using Requesty.ProviderSimulator.Control;
using Requesty.ProviderSimulator.Tests.Support;

namespace Requesty.ProviderSimulator.Tests.Control;

public class SimulatorControlClientTests(SimulatorFixture simulator) : IClassFixture<SimulatorFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => simulator.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Typed_client_sets_rules_and_reads_the_log()
    {
        using var http = simulator.CreateClient();
        var control = new SimulatorControlClient(http);
        await control.SetBehaviourAsync(new SimBehaviour { Provider = "anthropic", Status = 429, RetryAfterS = 2, Count = 1 });

        var limited = await http.SendAsync(RawHttp.Anthropic("""{"model":"claude","max_tokens":5,"messages":[{"role":"user","content":"a \"quoted\" word"}]}"""));
        var fine = await http.SendAsync(RawHttp.Anthropic("""{"model":"claude","max_tokens":5,"messages":[{"role":"user","content":"b"}]}"""));
        var requests = await control.GetRequestsAsync();

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("2", limited.Headers.RetryAfter!.ToString());
        Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
        Assert.Equal(2, requests.Count);
        Assert.Equal("/v1/messages", requests[0].Path);
        Assert.Equal("sk-ant-test", requests[0].Header("X-Api-Key"));
        Assert.Equal("a \"quoted\" word", requests[0].Body!["messages"]![0]!["content"]!.GetValue<string>());

        await control.ClearRequestsAsync();
        await control.ResetBehaviourAsync();
        Assert.Empty(await control.GetRequestsAsync());
    }
}
