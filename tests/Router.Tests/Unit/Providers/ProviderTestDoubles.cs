using System.Text.Json.Nodes;
using Requesty.Contracts.Keys;
using Requesty.Router.Catalog;
using Requesty.Router.Pipeline;
using Requesty.Router.Providers;

namespace Requesty.Router.Tests.Unit.Providers;

/// <summary>Collects what a provider writes to the client's output.</summary>
internal sealed class RecordingChatOutput : IChatOutput
{
    public List<JsonObject> Chunks { get; } = [];
    public JsonObject? Completion { get; private set; }
    public List<string> StreamErrors { get; } = [];
    public bool Ended { get; private set; }

    public Task WriteCompletionAsync(JsonObject completion, ReadOnlyMemory<byte> raw, CancellationToken cancellationToken)
    {
        Completion = completion;
        return Task.CompletedTask;
    }

    public Task StartStreamAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task WriteChunkAsync(JsonObject chunk, string? raw, CancellationToken cancellationToken)
    {
        Chunks.Add(chunk);
        return Task.CompletedTask;
    }

    public Task WriteStreamErrorAsync(string message, CancellationToken cancellationToken)
    {
        StreamErrors.Add(message);
        return Task.CompletedTask;
    }

    public Task EndStreamAsync(CancellationToken cancellationToken)
    {
        Ended = true;
        return Task.CompletedTask;
    }
}

/// <summary>An HTTP client factory for code paths that build requests but never send them.</summary>
internal sealed class UnusedHttpClientFactory : IHttpClientFactory
{
    public HttpClient CreateClient(string name) => throw new InvalidOperationException("No HTTP in unit tests.");
}

internal static class ProviderTestData
{
    public static RequestRecord Record() => new(Guid.NewGuid(), DateTime.UtcNow, new ApiKeyContext
    {
        KeyHash = "hash", ApiKeyId = Guid.NewGuid(), OrganizationId = Guid.NewGuid(),
    }, "chat.completions");

    public static CatalogModel Model(string id, string region = "us") => new()
    {
        Id = id,
        Provider = id[..id.IndexOf('/')],
        UpstreamModel = id[(id.IndexOf('/') + 1)..],
        Kind = ModelKind.Chat,
        Price = new ModelPrice(1m, 2m),
        Region = region,
    };

    public static HttpResponseMessage Upstream(string body, string mediaType = "text/event-stream") =>
        new(System.Net.HttpStatusCode.OK) { Content = new StringContent(body, System.Text.Encoding.UTF8, mediaType) };
}
