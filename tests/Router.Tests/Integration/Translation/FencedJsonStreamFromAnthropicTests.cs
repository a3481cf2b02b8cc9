using System.ClientModel;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using OpenAI.Chat;
using Requesty.Router.Tests.Unit.Anthropic;
using Requesty.TestKit;

namespace Requesty.Router.Tests.Integration.Translation;

/// <summary>
/// The OpenAI SDK streams JSON asked for with response_format json_object from a Claude that wraps it in a markdown code
/// fence (the simulator never does, so Anthropic here is a stub that always answers with the fence split across deltas):
/// the client receives the JSON alone; without response_format the fence stays.
/// </summary>
public sealed class FencedJsonStreamFromAnthropicTests : IAsyncLifetime
{
    private static readonly string Fenced = AnthropicTextStream.Sse(["\n``", "`json\n{\"city\":", "\"Oslo\"}\n``", "`\n"]);
    private ServiceHost _anthropic = null!;
    private RouterHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _anthropic = await ServiceHost.StartAsync(args =>
        {
            var app = WebApplication.CreateSlimBuilder(args).Build();
            app.MapPost("/v1/messages", async (HttpContext context) =>
            {
                context.Response.ContentType = "text/event-stream";
                await context.Response.WriteAsync(Fenced, Encoding.UTF8);
            });
            return app;
        });
        _harness = await RouterHarness.StartAsync(extraArgs:
            [$"--Providers:anthropic:BaseUrl={_anthropic.BaseAddress}", "--Providers:anthropic:ApiKey=stub-key"]);
    }

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
        await _anthropic.DisposeAsync();
    }

    private async Task<string> StreamedTextAsync(ChatCompletionOptions options)
    {
        var chat = new ChatClient("anthropic/claude-sonnet-4-5", new ApiKeyCredential(_harness.ApiKey), _harness.OpenAIOptions());
        var text = new StringBuilder();
        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("Which city? Answer in JSON.")], options))
            foreach (var part in update.ContentUpdate) text.Append(part.Text);
        return text.ToString();
    }

    [Fact]
    public async Task A_json_object_request_streams_the_json_without_the_fence()
    {
        var text = await StreamedTextAsync(new ChatCompletionOptions { ResponseFormat = ChatResponseFormat.CreateJsonObjectFormat() });

        Assert.Equal("""{"city":"Oslo"}""", text);
    }

    [Fact]
    public async Task A_request_without_a_response_format_streams_the_fence_as_claude_wrote_it()
    {
        var text = await StreamedTextAsync(new ChatCompletionOptions());

        Assert.Equal("\n```json\n{\"city\":\"Oslo\"}\n```\n", text);
    }
}
