using System.Text.Json.Nodes;

namespace Requesty.ProviderSimulator.Tests.Support;

public sealed record SseEvent(string? Name, string Data)
{
    public JsonNode Json => JsonNode.Parse(Data)!;
}

/// <summary>Reads a server-sent event stream from a raw HTTP response.</summary>
public static class Sse
{
    public static async Task<List<SseEvent>> ReadAllAsync(HttpResponseMessage response)
    {
        var events = new List<SseEvent>();
        await using var stream = await response.Content.ReadAsStreamAsync();
        using var reader = new StreamReader(stream);
        string? name = null;
        var data = new List<string>();
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Count > 0) events.Add(new SseEvent(name, string.Join('\n', data)));
                name = null;
                data.Clear();
            }
            else if (line.StartsWith("event:", StringComparison.Ordinal)) name = line[6..].Trim();
            else if (line.StartsWith("data:", StringComparison.Ordinal)) data.Add(line[5..].TrimStart());
        }
        if (data.Count > 0) events.Add(new SseEvent(name, string.Join('\n', data)));
        return events;
    }
}
