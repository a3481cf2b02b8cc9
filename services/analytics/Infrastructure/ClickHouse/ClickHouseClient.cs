using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Options;

namespace Requesty.Analytics.Infrastructure.ClickHouse;

/// <summary>
/// A small typed client for ClickHouse's HTTP interface (no ClickHouse client package is available).
/// Queries travel in the POST body, inserts put the statement in the URL and stream the rows as
/// JSONEachRow. Any non-success answer becomes a <see cref="ClickHouseException"/> with the server's text.
/// </summary>
public sealed class ClickHouseClient
{
    // 64-bit integers as JSON numbers, not strings, so they deserialize straight into long/ulong.
    private const string OutputSettings = "output_format_json_quote_64bit_integers=0";

    private readonly HttpClient _http;
    private readonly ClickHouseOptions _options;

    public ClickHouseClient(HttpClient http, IOptions<ClickHouseOptions> options)
    {
        _http = http;
        _options = options.Value;
        _http.BaseAddress ??= new Uri(_options.Url.EndsWith('/') ? _options.Url : _options.Url + "/");
        _http.Timeout = TimeSpan.FromSeconds(_options.TimeoutSeconds);
    }

    public string Database => _options.Database;

    /// <summary>Runs a statement that returns nothing we need (DDL, ALTER...). <paramref name="withoutDatabase"/>: for statements about databases themselves.</summary>
    public async Task ExecuteAsync(string sql, CancellationToken cancellationToken, bool withoutDatabase = false)
    {
        using var request = CreateRequest(BuildUri(query: null, withoutDatabase), new StringContent(sql, Encoding.UTF8));
        using var response = await SendAsync(request, cancellationToken);
    }

    /// <summary>Inserts the rows with one POST (INSERT INTO table FORMAT JSONEachRow). A batch is all-or-nothing.</summary>
    public async Task InsertAsync<T>(string table, IReadOnlyCollection<T> rows, JsonTypeInfo<T> rowType, CancellationToken cancellationToken)
    {
        if (rows.Count == 0) return;
        var statement = $"INSERT INTO {SqlLiteral.Identifier(table)} FORMAT JSONEachRow";
        using var request = CreateRequest(BuildUri(statement, withoutDatabase: false), new JsonEachRowContent<T>(rows, rowType));
        using var response = await SendAsync(request, cancellationToken);
    }

    /// <summary>Runs a SELECT (without a FORMAT clause) and reads the JSONEachRow answer.</summary>
    public async Task<List<T>> QueryAsync<T>(
        string sql, JsonTypeInfo<T> rowType, CancellationToken cancellationToken, bool withoutDatabase = false)
    {
        var body = new StringContent(sql + "\nFORMAT JSONEachRow", Encoding.UTF8);
        using var request = CreateRequest(BuildUri(query: null, withoutDatabase), body);
        using var response = await SendAsync(request, cancellationToken, HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var rows = new List<T>();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0) continue;
            rows.Add(JsonSerializer.Deserialize(line, rowType)
                ?? throw new InvalidOperationException("ClickHouse returned a null row."));
        }
        return rows;
    }

    /// <summary>GET /ping: true when the server answers "Ok.".</summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync("ping", cancellationToken);
        return response.IsSuccessStatusCode;
    }

    private Uri BuildUri(string? query, bool withoutDatabase)
    {
        var builder = new StringBuilder("?").Append(OutputSettings);
        // The X-ClickHouse-Database header is ignored by 18.16; the URL parameter works everywhere.
        if (!withoutDatabase) builder.Append("&database=").Append(Uri.EscapeDataString(_options.Database));
        if (query is not null) builder.Append("&query=").Append(Uri.EscapeDataString(query));
        return new Uri(builder.ToString(), UriKind.Relative);
    }

    private HttpRequestMessage CreateRequest(Uri uri, HttpContent content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content };
        request.Headers.Add("X-ClickHouse-User", _options.User);
        if (_options.Password.Length > 0) request.Headers.Add("X-ClickHouse-Key", _options.Password);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return request;
    }

    private async Task<HttpResponseMessage> SendAsync(
        HttpRequestMessage request, CancellationToken cancellationToken, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        var response = await _http.SendAsync(request, completion, cancellationToken);
        if (response.IsSuccessStatusCode) return response;
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new ClickHouseException(response.StatusCode, text);
        }
    }
}
