namespace Requesty.Management.Domain.Policies;

/// <summary>
/// The "refers to" graph of an organisation's policies. A cycle would make "policy/x" unresolvable,
/// so a definition that closes one is refused, naming the loop.
/// </summary>
public static class PolicyGraph
{
    /// <summary>The cycle through <paramref name="start"/> as "policy/a -> policy/b -> policy/a", or null.</summary>
    public static string? FindCycle(string start, Func<string, IEnumerable<string>> referencesOf)
    {
        var path = new List<string> { start };
        var done = new HashSet<string>(StringComparer.Ordinal);
        return Visit(start) ? string.Join(" -> ", path.Select(n => Policy.ReferencePrefix + n)) : null;

        bool Visit(string node)
        {
            foreach (var next in referencesOf(node))
            {
                if (next == start)
                {
                    path.Add(next);
                    return true;
                }
                if (path.Contains(next) || !done.Add(next)) continue;
                path.Add(next);
                if (Visit(next)) return true;
                path.RemoveAt(path.Count - 1);
            }
            return false;
        }
    }
}
