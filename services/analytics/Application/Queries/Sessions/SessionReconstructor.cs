using System.Globalization;
using Requesty.Analytics.Application.Queries.Common;

namespace Requesty.Analytics.Application.Queries.Sessions;

/// <summary>
/// Stitches requests into sessions without any client session id: a request whose prefix hash (all
/// messages it sent but the last) equals the conversation hash (messages plus answer) of an earlier
/// request continues that request's session. Two conversations that only share a system prompt never
/// merge, because no request's whole conversation is just the system prompt.
/// </summary>
public static class SessionReconstructor
{
    public static List<SessionThread> Reconstruct(IEnumerable<SessionRequestRow> rows)
    {
        var ordered = rows.Select(r => (Row: r, At: RequestScope.ParseBucket(r.StartedAt)))
            .OrderBy(r => r.At).ThenBy(r => r.Row.RequestId).ToList();
        // Conversation hash -> requests that ended with it, in time order (the latest earlier one is the parent).
        var byConversation = ordered.Where(r => r.Row.ConversationHash.Length > 0)
            .GroupBy(r => r.Row.ConversationHash, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);

        var parents = new Dictionary<Guid, Guid?>();
        foreach (var (row, at) in ordered)
        {
            Guid? parent = null;
            if (row.PrefixHash.Length > 0 && byConversation.TryGetValue(row.PrefixHash, out var candidates))
            {
                // Same-second requests are allowed: seconds are the stored precision and agent loops are fast.
                var match = candidates.LastOrDefault(c => c.At <= at && c.Row.RequestId != row.RequestId);
                if (match.Row is not null) parent = match.Row.RequestId;
            }
            parents[row.RequestId] = parent;
        }

        var roots = new Dictionary<Guid, Guid>();
        Guid RootOf(Guid id)
        {
            // Follows parents up to a known root; the seen-set bounds the walk even if hashes ever formed a loop.
            var seen = new List<Guid>();
            var current = id;
            while (!roots.ContainsKey(current) && parents[current] is { } parent && !seen.Contains(current))
            {
                seen.Add(current);
                current = parent;
            }
            var root = roots.GetValueOrDefault(current, current);
            foreach (var link in seen.Append(current)) roots[link] = root;
            return root;
        }

        // Within one second a continuation still comes after the request it continues.
        int Depth(Guid id)
        {
            var depth = 0;
            for (var current = parents[id]; current is { } parent && depth < parents.Count; current = parents[parent]) depth++;
            return depth;
        }

        return [.. ordered
            .GroupBy(r => RootOf(r.Row.RequestId))
            .Select(g =>
            {
                var requests = g.OrderBy(r => r.At).ThenBy(r => Depth(r.Row.RequestId)).ThenBy(r => r.Row.RequestId).Select(r => new SessionRequest(
                    r.Row.RequestId, parents[r.Row.RequestId], r.At, r.Row.Model, r.Row.Status,
                    decimal.Parse(r.Row.Cost, NumberStyles.Float, CultureInfo.InvariantCulture),
                    r.Row.InputTokens, r.Row.OutputTokens, r.Row.LatencyMs)).ToList();
                return new SessionThread(new SessionSummary(
                    g.Key, requests[0].StartedAt, requests[^1].StartedAt, requests.Count, requests.Sum(q => q.CostUsd),
                    (ulong)requests.Sum(q => (decimal)q.InputTokens), (ulong)requests.Sum(q => (decimal)q.OutputTokens),
                    [.. requests.Select(q => q.Model).Distinct().Order(StringComparer.Ordinal)]), requests);
            })];
    }
}
