using Requesty.ProviderSimulator.Anthropic;
using Requesty.ProviderSimulator.Behaviour;
using Requesty.ProviderSimulator.Gemini;
using Requesty.ProviderSimulator.Infrastructure;
using Requesty.ProviderSimulator.OpenAI;
using Requesty.ProviderSimulator.Recording;
using Requesty.ProviderSimulator.Vertex;

namespace Requesty.ProviderSimulator;

/// <summary>
/// Builds the provider simulator: one server speaking the OpenAI, Anthropic and Gemini wire formats, with
/// behaviour control (/__sim/behaviour) and a request log (/__sim/requests). Program.cs runs it; tests host it in-process.
/// All state lives in DI singletons, so several simulators in one process stay independent.
/// </summary>
public static class SimulatorApp
{
    public const int DefaultPort = 5090;

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        // Default port unless --urls / ASPNETCORE_URLS / ASPNETCORE_HTTP_PORTS (containers) choose one.
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"]))
            builder.WebHost.UseUrls($"http://127.0.0.1:{DefaultPort}");
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // Handlers never block a thread, so requests are processed on the I/O thread that read them.
        builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = builder.Configuration.GetValue("Simulator:InlineIo", true));
        builder.Services.Configure<SimulatorOptions>(builder.Configuration.GetSection("Simulator"));
        builder.Services.AddSingleton<BehaviourStore>();
        builder.Services.AddSingleton<BehaviourGate>();
        builder.Services.AddSingleton<RequestLog>();
        builder.Services.AddSingleton<PromptCacheTracker>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<VertexTokens>();

        var app = builder.Build();
        app.UseMiddleware<RecordingMiddleware>();

        app.MapGet("/healthz", () => Results.Ok(new { status = "Healthy" }));
        app.MapBehaviourControl();
        app.MapRequestRecording();

        app.MapPost("/v1/chat/completions", ChatCompletionsEndpoint.HandleAsync);
        app.MapPost("/v1/responses", ResponsesEndpoint.HandleAsync);
        app.MapPost("/v1/embeddings", EmbeddingsEndpoint.HandleAsync);
        app.MapPost("/v1/images/generations", ImagesEndpoint.GenerateAsync);
        app.MapGet("/__sim/images/{file}", ImagesEndpoint.Download);
        app.MapGet("/v1/models", ModelsEndpoint.HandleAsync);
        app.MapGet("/v1/models/{id}", ModelsEndpoint.GetOneAsync);

        app.MapPost("/v1/messages", MessagesEndpoint.HandleAsync);
        app.MapPost("/v1/messages/count_tokens", MessagesEndpoint.CountTokensAsync);

        app.MapGet("/v1beta/models", GeminiModelsEndpoint.HandleAsync);
        app.MapPost("/v1beta/models/{modelAndAction}", GenerateContentEndpoint.HandleAsync);
        app.MapPost("/v1/models/{modelAndAction}", GenerateContentEndpoint.HandleAsync);

        app.MapPost("/oauth2/token", VertexTokenEndpoint.HandleAsync);
        app.MapPost("/v1/projects/{project}/locations/{location}/publishers/{publisher}/models/{modelAndAction}", VertexEndpoint.HandleAsync);
        return app;
    }
}
