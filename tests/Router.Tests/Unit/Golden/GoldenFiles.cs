using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Requesty.Contracts.Keys;
using Requesty.Router.Pipeline;
using Requesty.Router.Providers;

namespace Requesty.Router.Tests.Unit.Golden;

/// <summary>Recorded wire payloads (Payloads/, next to this file) and a JSON-semantic comparison for them.</summary>
internal static class GoldenFiles
{
    /// <summary>In an expected file, this string matches any value (ids the translators generate at random).</summary>
    public const string Any = "<any>";

    public static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static string PathOf(string name, [CallerFilePath] string here = "") =>
        System.IO.Path.Combine(System.IO.Path.GetDirectoryName(here)!, "Payloads", name);

    public static string Text(string name) => File.ReadAllText(PathOf(name));

    public static Stream Open(string name) => File.OpenRead(PathOf(name));

    public static JsonArray Json(string name) => JsonNode.Parse(Text(name))!.AsArray();

    /// <summary>Server-sent events as [{"event": name or null, "data": parsed JSON}], skipping [DONE].</summary>
    public static JsonArray SseEvents(string sse)
    {
        var events = new JsonArray();
        string? name = null;
        foreach (var line in sse.Replace("\r\n", "\n").Split('\n'))
        {
            if (line.StartsWith("event:", StringComparison.Ordinal)) name = line[6..].Trim();
            else if (line.StartsWith("data:", StringComparison.Ordinal) && line[5..].Trim() is var data && data != "[DONE]")
            {
                events.Add(new JsonObject { ["event"] = name, ["data"] = JsonNode.Parse(data) });
                name = null;
            }
        }
        return events;
    }

    public static void AssertSemanticallyEqual(JsonNode? expected, JsonNode? actual)
    {
        var difference = FirstDifference(expected, actual, "$");
        Assert.True(difference is null, $"{difference}\nexpected: {expected?.ToJsonString()}\nactual:   {actual?.ToJsonString()}");
    }

    private static string? FirstDifference(JsonNode? expected, JsonNode? actual, string path)
    {
        if (expected is JsonValue any && any.TryGetValue<string>(out var text) && text == Any)
            return actual is null ? $"{path}: expected a value, got null" : null;
        switch (expected, actual)
        {
            case (null, null):
                return null;
            case (JsonObject e, JsonObject a):
                foreach (var key in e.Select(p => p.Key).Union(a.Select(p => p.Key)))
                {
                    if (!e.ContainsKey(key)) return $"{path}.{key}: unexpected property";
                    if (!a.ContainsKey(key)) return $"{path}.{key}: missing";
                    if (FirstDifference(e[key], a[key], $"{path}.{key}") is { } difference) return difference;
                }
                return null;
            case (JsonArray e, JsonArray a):
                if (e.Count != a.Count) return $"{path}: expected {e.Count} items, got {a.Count}";
                for (var i = 0; i < e.Count; i++)
                {
                    if (FirstDifference(e[i], a[i], $"{path}[{i}]") is { } difference) return difference;
                }
                return null;
            default:
                return JsonNode.DeepEquals(expected, actual) ? null : $"{path}: expected {expected?.ToJsonString()}, got {actual?.ToJsonString()}";
        }
    }

    public static RequestRecord Record(string endpoint = "chat.completions") => new(Guid.CreateVersion7(), Now.UtcDateTime, new ApiKeyContext
    {
        KeyHash = "golden",
        ApiKeyId = Guid.NewGuid(),
        OrganizationId = Guid.NewGuid(),
        UserId = Guid.NewGuid(),
        Permissions = ["chat"],
        Version = 1,
    }, endpoint);

    public static (HttpResponse Response, MemoryStream Body) Response()
    {
        var context = new DefaultHttpContext();
        var body = new MemoryStream();
        context.Response.Body = body;
        return (context.Response, body);
    }

    public static string Written(MemoryStream body) => Encoding.UTF8.GetString(body.ToArray());
}

internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

/// <summary>Collects what a provider's stream translator hands to the client-facing output, in order.</summary>
internal sealed class RecordingChatOutput : IChatOutput
{
    public JsonArray Chunks { get; } = [];
    public List<string> Errors { get; } = [];
    public bool Started { get; private set; }
    public bool Ended { get; private set; }

    public Task WriteCompletionAsync(JsonObject completion, ReadOnlyMemory<byte> raw, CancellationToken cancellationToken)
    {
        Chunks.Add(completion.DeepClone());
        return Task.CompletedTask;
    }

    public Task StartStreamAsync(CancellationToken cancellationToken)
    {
        Started = true;
        return Task.CompletedTask;
    }

    public Task WriteChunkAsync(JsonObject chunk, string? raw, CancellationToken cancellationToken)
    {
        Chunks.Add(chunk.DeepClone());
        return Task.CompletedTask;
    }

    public Task WriteStreamErrorAsync(string message, CancellationToken cancellationToken)
    {
        Errors.Add(message);
        return Task.CompletedTask;
    }

    public Task EndStreamAsync(CancellationToken cancellationToken)
    {
        Ended = true;
        return Task.CompletedTask;
    }
}
