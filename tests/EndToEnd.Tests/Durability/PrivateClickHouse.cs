using System.Net.Http.Headers;
using System.Text;

namespace Requesty.EndToEnd.Tests.Durability;

/// <summary>Reads what analytics wrote into the private ClickHouse.</summary>
public sealed class PrivateClickHouse(string url) : IDisposable
{
    private readonly HttpClient _http = CreateClient(url);

    /// <summary>Rows per request id (after FINAL, i.e. after collapsing redeliveries) of one API key.</summary>
    public async Task<Dictionary<Guid, long>> RowsPerRequestAsync(Guid apiKeyId)
    {
        var query = $"SELECT toString(request_id), count() FROM requests FINAL WHERE api_key_id = '{apiKeyId}' GROUP BY request_id FORMAT TSV";
        var body = await QueryAsync(query);
        return body.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t'))
            .ToDictionary(cells => Guid.Parse(cells[0]), cells => long.Parse(cells[1]));
    }

    /// <summary>Status and HTTP status of every row (FINAL) of one request, in no particular order.</summary>
    public async Task<List<(string Status, int HttpStatus)>> RowsOfRequestAsync(Guid requestId)
    {
        var query = $"SELECT status, http_status FROM requests FINAL WHERE request_id = '{requestId}' FORMAT TSV";
        var body = await QueryAsync(query);
        return body.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t'))
            .Select(cells => (cells[0], int.Parse(cells[1])))
            .ToList();
    }

    /// <summary>
    /// Waits until every expected request id has a row, then checks that none has more than one
    /// (the total is re-read once more so late duplicates are seen too).
    /// </summary>
    public async Task<Dictionary<Guid, long>> WaitForAllAsync(Guid apiKeyId, IReadOnlyCollection<Guid> expected, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        Dictionary<Guid, long> rows = [];
        while (DateTime.UtcNow < deadline)
        {
            rows = await RowsPerRequestAsync(apiKeyId);
            if (expected.All(rows.ContainsKey)) return await RowsPerRequestAsync(apiKeyId);
            await Task.Delay(500);
        }
        var missing = expected.Where(id => !rows.ContainsKey(id)).ToList();
        throw new TimeoutException(
            $"{missing.Count} of {expected.Count} requests have no row in ClickHouse after {timeout}, e.g. {string.Join(", ", missing.Take(5))}");
    }

    public void Dispose() => _http.Dispose();

    private async Task<string> QueryAsync(string query)
    {
        using var content = new StringContent(query, Encoding.UTF8);
        using var response = await _http.PostAsync($"?database={PrivateServers.ClickHouseDatabase}", content);
        var body = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? body : throw new InvalidOperationException($"ClickHouse answered {(int)response.StatusCode}: {body}");
    }

    private static HttpClient CreateClient(string url)
    {
        var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{PrivateServers.ClickHouseUser}:{PrivateServers.ClickHousePassword}")));
        return http;
    }
}
