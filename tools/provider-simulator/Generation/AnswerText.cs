namespace Requesty.ProviderSimulator.Generation;

/// <summary>The deterministic answers the simulated models give.</summary>
public static class AnswerText
{
    private const int EchoWords = 8;

    public static string Reply(string provider, string model, string lastUserText)
    {
        var echo = FirstWords(lastUserText);
        var greeting = $"Hello from the simulator ({provider}/{model}).";
        return echo.Length == 0 ? greeting : $"{greeting} You said: {echo}";
    }

    public static string Thinking(string lastUserText)
    {
        var echo = FirstWords(lastUserText);
        return echo.Length == 0
            ? "The user sent no text. I will answer with a short greeting."
            : $"The user wrote \"{echo}\". I will answer with a short greeting that echoes it.";
    }

    public static string FirstWords(string text) =>
        string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Take(EchoWords));

    /// <summary>Splits text into word-sized stream deltas (each keeps its trailing space) so the pieces concatenate back exactly.</summary>
    public static IReadOnlyList<string> Chunks(string text)
    {
        var chunks = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != ' ') continue;
            chunks.Add(text[start..(i + 1)]);
            start = i + 1;
        }
        if (start < text.Length) chunks.Add(text[start..]);
        return chunks;
    }

    /// <summary>Fixed-size pieces, used for streamed JSON (tool arguments).</summary>
    public static IReadOnlyList<string> Slices(string text, int size = 12)
    {
        var slices = new List<string>();
        for (var i = 0; i < text.Length; i += size) slices.Add(text.Substring(i, Math.Min(size, text.Length - i)));
        return slices;
    }
}
