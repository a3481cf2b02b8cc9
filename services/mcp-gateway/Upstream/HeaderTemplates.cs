using System.Text.RegularExpressions;

namespace Requesty.McpGateway.Upstream;

/// <summary>
/// Header values may hold placeholders such as "Bearer {{API_KEY}}", filled from the caller's own
/// key values at call time. A placeholder nobody supplied is a clear error, not an empty header.
/// </summary>
public static partial class HeaderTemplates
{
    [GeneratedRegex(@"\{\{\s*([A-Za-z0-9_\-]+)\s*\}\}")]
    private static partial Regex Placeholder();

    public static IReadOnlyList<string> PlaceholdersIn(IEnumerable<string> values) =>
        values.SelectMany(v => Placeholder().Matches(v).Select(m => m.Groups[1].Value)).Distinct(StringComparer.Ordinal).ToList();

    /// <exception cref="MissingUserKeyException">A placeholder has no value.</exception>
    public static Dictionary<string, string> Resolve(
        string serverName, IReadOnlyDictionary<string, string> headers, IReadOnlyDictionary<string, string> values)
    {
        var missing = new List<string>();
        var resolved = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, template) in headers)
        {
            resolved[name] = Placeholder().Replace(template, m =>
            {
                if (values.TryGetValue(m.Groups[1].Value, out var value)) return value;
                missing.Add(m.Groups[1].Value);
                return m.Value;
            });
        }
        if (missing.Count > 0) throw new MissingUserKeyException(serverName, missing.Distinct().ToList());
        return resolved;
    }
}

public sealed class MissingUserKeyException(string serverName, IReadOnlyList<string> missing)
    : Exception($"MCP server '{serverName}' needs a value for {string.Join(", ", missing.Select(m => "{{" + m + "}}"))}; " +
                "configure it in the server's headers or as your own key.")
{
    public IReadOnlyList<string> Missing { get; } = missing;
}
