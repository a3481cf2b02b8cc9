using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text;
using OpenAI.Responses;
using Requesty.ProviderSimulator.Tests.Support;

#pragma warning disable OPENAI001 // the Responses client is marked experimental in the SDK

namespace Requesty.ProviderSimulator.Tests.OpenAI;

/// <summary>The official SDK's Responses client against /v1/responses.</summary>
public class OpenAIResponsesSdkTests(SimulatorFixture simulator) : IClassFixture<SimulatorFixture>
{
    private ResponsesClient Client() => new(new ApiKeyCredential("sk-test"), new ResponsesClientOptions
    {
        Endpoint = new Uri(simulator.BaseAddress, "v1"),
        RetryPolicy = new ClientRetryPolicy(0),
    });

    [Fact]
    public async Task Response_create_parses_output_text_and_usage()
    {
        ResponseResult response = await Client().CreateResponseAsync("gpt-5", "Bedtime story");

        Assert.Equal("Hello from the simulator (openai/gpt-5). You said: Bedtime story", response.GetOutputText());
        Assert.True(response.Usage.InputTokenCount > 0);
        Assert.Equal(response.Usage.InputTokenCount + response.Usage.OutputTokenCount, response.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task Streamed_response_assembles_the_text_and_completes()
    {
        var text = new StringBuilder();
        ResponseResult? completed = null;
        await foreach (var update in await Client().CreateResponseStreamingAsync("gpt-5", "Stream a story"))
        {
            if (update is StreamingResponseOutputTextDeltaUpdate delta) text.Append(delta.Delta);
            if (update is StreamingResponseCompletedUpdate done) completed = done.Response;
        }

        Assert.Equal("Hello from the simulator (openai/gpt-5). You said: Stream a story", text.ToString());
        Assert.NotNull(completed);
        Assert.True(completed.Usage.OutputTokenCount > 0);
    }
}
