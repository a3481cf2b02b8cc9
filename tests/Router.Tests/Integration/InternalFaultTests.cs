using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Requesty.Router.Pipeline;

namespace Requesty.Router.Tests.Integration;

/// <summary>
/// A fault of the router's own while serving a request (a bug, not bad input): the client gets an error in its API's
/// format when nothing was sent yet, and the request's RequestCompleted says it failed instead of billing a success.
/// </summary>
public sealed class InternalFaultTests(RouterWithEvents fixture) : IClassFixture<RouterWithEvents>
{
    [Fact]
    public async Task A_fault_before_the_answer_is_a_500_in_the_callers_format_and_a_failed_event()
    {
        var (http, body) = Request();

        await Lifecycle().RunAsync(http, "chat.completions", OpenAIClientErrors.Instance,
            (_, _) => throw new InvalidOperationException("a bug"));

        Assert.Equal(500, http.Response.StatusCode);
        var error = JsonNode.Parse(body.ToArray())!["error"]!;
        Assert.Equal("internal_error", error["code"]!.GetValue<string>());
        var published = await fixture.PublishedAsync(http.Response.Headers["x-request-id"].ToString());
        Assert.Equal(500, published.HttpStatus);
        Assert.Equal("error", published.Status);
        Assert.Equal("internal_error", published.ErrorKind);
    }

    [Fact]
    public async Task A_fault_in_the_middle_of_a_stream_cuts_it_off_and_is_a_failed_event()
    {
        var (http, _) = Request();
        var response = new StartableResponse();
        http.Features.Set<IHttpResponseFeature>(response);

        await Assert.ThrowsAsync<InvalidOperationException>(() => Lifecycle().RunAsync(http, "chat.completions", OpenAIClientErrors.Instance,
            async (_, cancellationToken) =>
            {
                await http.Response.WriteAsync("data: {}\n\n", cancellationToken);
                response.Start(); // what the server does once the headers are sent
                throw new InvalidOperationException("a bug mid-stream");
            }));

        var published = await fixture.PublishedAsync(http.Response.Headers["x-request-id"].ToString());
        Assert.Equal(500, published.HttpStatus);
        Assert.Equal("internal_error", published.ErrorKind);
    }

    private sealed class StartableResponse : HttpResponseFeature
    {
        private bool _started;
        public void Start() => _started = true;
        public override bool HasStarted => _started;
    }

    private RequestLifecycle Lifecycle() => fixture.Harness.Router.Services.GetRequiredService<RequestLifecycle>();

    private (DefaultHttpContext Http, MemoryStream Body) Request()
    {
        var body = new MemoryStream();
        var http = new DefaultHttpContext { RequestServices = fixture.Harness.Router.Services };
        http.Request.Method = "POST";
        http.Request.Path = "/v1/chat/completions";
        http.Request.Headers.Authorization = $"Bearer {fixture.Harness.ApiKey}";
        http.Response.Body = body;
        return (http, body);
    }
}
