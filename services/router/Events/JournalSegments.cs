using System.Globalization;

namespace Requesty.Router.Events;

/// <summary>Naming and listing of journal segment files: 000000000001.jsonl, 000000000002.jsonl, ...</summary>
public static class JournalSegments
{
    private const string Extension = ".jsonl";

    public static string PathOf(string directory, long index) =>
        Path.Combine(directory, index.ToString("D12", CultureInfo.InvariantCulture) + Extension);

    public static List<long> List(string directory) =>
        System.IO.Directory.EnumerateFiles(directory, "*" + Extension)
            .Select(Path.GetFileNameWithoutExtension)
            .Select(name => long.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : -1)
            .Where(index => index > 0)
            .Order()
            .ToList();
}
