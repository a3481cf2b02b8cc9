using System.Globalization;
using Requesty.Analytics.Application.Queries.Common;

namespace Requesty.Analytics.Application.Queries.Usage;

/// <summary>Adds usage rows up exactly (integers and decimal strings); percentiles are not additive and stay 0.</summary>
public static class UsageRows
{
    public static UsageRow Sum(IEnumerable<UsageRow> rows, string group, string bucket)
    {
        ulong requests = 0, input = 0, output = 0, cached = 0, cacheWrite = 0, cacheHits = 0, latencySum = 0;
        decimal cost = 0m, savings = 0m;
        foreach (var row in rows)
        {
            requests += row.Requests;
            cost += RequestScope.ParseNumber(row.Cost) ?? 0m;
            savings += RequestScope.ParseNumber(row.Savings) ?? 0m;
            input += row.InputTokens;
            output += row.OutputTokens;
            cached += row.CachedTokens;
            cacheWrite += row.CacheWriteTokens;
            cacheHits += row.CacheHits;
            latencySum += row.LatencySum;
        }
        return new UsageRow
        {
            G = group, T = bucket, Requests = requests,
            Cost = cost.ToString(CultureInfo.InvariantCulture), Savings = savings.ToString(CultureInfo.InvariantCulture),
            InputTokens = input, OutputTokens = output, CachedTokens = cached, CacheWriteTokens = cacheWrite, CacheHits = cacheHits,
            LatencySum = latencySum,
            LatencyAvg = requests == 0 ? null : ((decimal)latencySum / requests).ToString(CultureInfo.InvariantCulture),
        };
    }
}
