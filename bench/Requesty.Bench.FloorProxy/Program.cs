// The floor of the router benchmark: the least a .NET reverse proxy can do for a chat completion - read the body, send
// it to the simulator with a pooled HttpClient, copy the answer back read by read (flushed, so streams stay streams). No
// authentication, routing, accounting or events. Its added latency shows what one more process hop costs on the machine;
// the router's added latency minus the floor's is what the router's own work costs.
Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);
var app = builder.Build();

var simulator = new Uri(app.Configuration["Simulator:Url"] ?? throw new InvalidOperationException("--Simulator:Url is required"));
var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false });

app.MapGet("/healthz", () => "ok");
// Chat completions and Anthropic messages alike: the body goes to the same path on the simulator.
app.MapPost("/v1/{**path}", async (HttpContext http) =>
{
    var upstream = new Uri(simulator, http.Request.Path.Value!.TrimStart('/'));
    var aborted = http.RequestAborted;
    using var body = new MemoryStream();
    await http.Request.Body.CopyToAsync(body, aborted);
    using var request = new HttpRequestMessage(HttpMethod.Post, upstream)
    {
        Content = new ByteArrayContent(body.GetBuffer(), 0, (int)body.Length) { Headers = { ContentType = new("application/json") } },
    };
    request.Headers.TryAddWithoutValidation("Authorization", "Bearer simulator-key");
    using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, aborted);
    http.Response.StatusCode = (int)response.StatusCode;
    http.Response.ContentType = response.Content.Headers.ContentType?.ToString();
    http.Response.ContentLength = response.Content.Headers.ContentLength;
    await using var answer = await response.Content.ReadAsStreamAsync(aborted);
    var buffer = new byte[16 * 1024];
    int read;
    while ((read = await answer.ReadAsync(buffer, aborted)) > 0)
    {
        await http.Response.Body.WriteAsync(buffer.AsMemory(0, read), aborted);
        await http.Response.Body.FlushAsync(aborted);
    }
});

app.Run();
