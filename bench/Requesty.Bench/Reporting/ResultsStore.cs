using System.Text.Json;
using System.Text.Json.Serialization;

namespace Requesty.Bench.Reporting;

public static class ResultsStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static async Task<string> SaveAsync(BenchResults results, string directory)
    {
        Directory.CreateDirectory(directory);
        var commit = results.Commit is { Length: >= 12 } c ? c[..12] : "nogit";
        var name = $"{results.StartedAtUtc:yyyyMMdd-HHmmss}-{commit}{(results.Dirty ? "-dirty" : "")}.json";
        var path = Path.Combine(directory, name);
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(results, Json));
        return path;
    }

    public static async Task<BenchResults> LoadAsync(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<BenchResults>(await File.ReadAllTextAsync(path), Json)
                ?? throw new InvalidOperationException($"{path} holds no results");
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"{path} is not a bench results file: {e.Message}");
        }
    }

    /// <summary>The newest results file in the folder (names start with a UTC timestamp), if any.</summary>
    public static string? Latest(string directory) =>
        Directory.Exists(directory)
            ? Directory.GetFiles(directory, "*.json").OrderByDescending(Path.GetFileName, StringComparer.Ordinal).FirstOrDefault()
            : null;
}
