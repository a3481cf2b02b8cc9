using System.Text.Json;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Requesty.Analytics;
using Requesty.Analytics.Application.Ingestion;
using Requesty.Analytics.Application.Rollups;
using Requesty.Contracts.Events;

namespace Requesty.Bench.Analytics;

/// <summary>
/// 1. Ingest: RequestCompleted sent through RabbitMQ to the analytics service (hosted in this process, real Kestrel,
///    real broker and ClickHouse) until all are visible in ClickHouse -> events/s, twice: draining a full queue (the
///    service's steady rate) and publishing while the service consumes (publish -> visible, end to end).
/// 2. Queries: N requests generated inside ClickHouse (INSERT ... SELECT FROM numbers) in the bench database, then the
///    main dashboard calls through the HTTP API, timed per call -> p50 / p95 / max.
/// </summary>
public static class AnalyticsBench
{
    private const string InternalToken = "bench-internal-token";
    private static readonly DateTime Start = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static async Task<int> RunAsync(BenchOptions options)
    {
        Console.WriteLine($"Analytics bench: {options.Events:N0} events through {Redact(options.RabbitMq)}, {options.Rows:N0} generated rows, " +
                          $"ClickHouse {options.ClickHouseUrl} database {options.Database} (dropped first), {Environment.ProcessorCount} cores");
        using var clickHouse = CreateClickHouseClient(options);
        await ExecuteAsync(clickHouse, $"DROP DATABASE IF EXISTS {options.Database}", withDatabase: null);

        // Durable queues under a unique prefix: the first start declares them and ingests the warm-up events, the measured
        // events are queued while no consumer runs, and the second start (same process, so the code is already optimised
        // by the JIT as in a long-running service) drains them: the service's steady ingest rate, not the sender's.
        var prefix = $"bench-{Guid.NewGuid():N}-";
        try
        {
            var (app, api) = await StartServiceAsync(options, prefix);
            await WarmUpAsync(options, prefix, clickHouse);
            await app.StopAsync();
            await app.DisposeAsync();
            api.Dispose();

            var org = Guid.NewGuid();
            var events = Generate(org, options.Events);
            var sent = await SendAsync(options, prefix, events);

            // The consumer starts with the host, before the service reports ready, so the clock starts with the host and
            // the steady rate is taken from the first visible rows on (start-up and the first batch's wait excluded).
            var clock = Stopwatch.StartNew();
            (app, api) = await StartServiceAsync(options, prefix);
            var ready = clock.Elapsed;
            (TimeSpan At, long Rows)? firstRows = null;
            long count;
            while ((count = await CountRowsAsync(clickHouse, org, options.Database)) < events.Count)
            {
                if (count > 0) firstRows ??= (clock.Elapsed, count);
                await Task.Delay(50);
            }
            var done = clock.Elapsed;
            var first = firstRows ?? (done, 0L);
            Console.WriteLine();
            Console.WriteLine("Ingest");
            Console.WriteLine($"  events queued        {events.Count,12:N0}   (sent in {sent.TotalSeconds:F2} s = {events.Count / sent.TotalSeconds:N0} events/s by this client in messages of up to {options.EventsPerMessage} events and {options.MaxMessageBytes / 1024} KB as the router sends them, {options.InFlight} in flight, publisher confirms)");
            Console.WriteLine($"  host start -> all    {done.TotalSeconds,12:F2} s   ({events.Count / done.TotalSeconds,10:N0} events/s including start-up; ready after {ready.TotalSeconds:F2} s)");
            if (done > first.At)
                Console.WriteLine($"  first rows -> all    {(done - first.At).TotalSeconds,12:F2} s   ({(events.Count - first.Rows) / (done - first.At).TotalSeconds,10:N0} events/s steady, full queue to rows in ClickHouse; target >= 20,000)");

            await LiveIngestAsync(options, prefix, clickHouse);
            await QueriesAsync(options, clickHouse, api, app);
            await app.StopAsync();
            await app.DisposeAsync();
            api.Dispose();
        }
        finally
        {
            await DeleteQueuesAsync(options, prefix);
        }
        return 0;
    }

    /// <summary>
    /// Ingests WarmupEvents through the running service and waits until they are visible. Without it the measured drain
    /// runs mostly on unoptimised (tier-0) code: the JIT's background tier-up competes with the drain for the 2 cores.
    /// </summary>
    private static async Task WarmUpAsync(BenchOptions options, string prefix, HttpClient clickHouse)
    {
        if (options.WarmupEvents == 0) return;
        var clock = Stopwatch.StartNew();
        var org = Guid.NewGuid();
        var events = Generate(org, options.WarmupEvents);
        await SendAsync(options, prefix, events);
        while (await CountRowsAsync(clickHouse, org, options.Database) < events.Count)
            await Task.Delay(100);
        Console.WriteLine($"Warm-up: {events.Count:N0} events through the service in {clock.Elapsed.TotalSeconds:F1} s (not measured)");
    }

    /// <summary>
    /// Publish -> visible with the service consuming while the events are sent (sender, broker, service and ClickHouse
    /// all share the machine): the clock runs from the first publish to the last event visible in ClickHouse.
    /// </summary>
    private static async Task LiveIngestAsync(BenchOptions options, string prefix, HttpClient clickHouse)
    {
        var org = Guid.NewGuid();
        var events = Generate(org, options.Events);
        var clock = new Stopwatch();
        var sending = SendAsync(options, prefix, events, clock.Start);
        while (await CountRowsAsync(clickHouse, org, options.Database) < events.Count)
            await Task.Delay(50);
        var done = clock.Elapsed;
        var sent = await sending;
        Console.WriteLine($"  publish -> visible   {done.TotalSeconds,12:F2} s   ({events.Count / done.TotalSeconds,10:N0} events/s end to end: {events.Count:N0} events published while the service consumes (sending took {sent.TotalSeconds:F2} s), first publish to the last row visible; target >= 20,000)");
    }

    /// <summary>The organisation's rows visible in the requests table.</summary>
    private static async Task<long> CountRowsAsync(HttpClient clickHouse, Guid org, string database) =>
        long.Parse(await QueryAsync(clickHouse, $"SELECT count() FROM requests WHERE organization_id = toUUID('{org}')", database), CultureInfo.InvariantCulture);

    private static async Task<(WebApplication App, HttpClient Api)> StartServiceAsync(BenchOptions options, string prefix)
    {
        var app = AnalyticsApp.Build(
        [
            "--urls=http://127.0.0.1:0",
            $"--ClickHouse:Url={options.ClickHouseUrl}", $"--ClickHouse:Database={options.Database}",
            $"--ClickHouse:User={options.ClickHouseUser}", $"--ClickHouse:Password={options.ClickHousePassword}",
            $"--RabbitMq:Uri={options.RabbitMq}", $"--RabbitMq:QueuePrefix={prefix}", "--RabbitMq:TemporaryQueues=false",
            $"--Internal:Token={InternalToken}", "--Analytics:Rollup:IntervalSeconds=0",
            "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:MassTransit=Warning",
            "--Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks=None",
        ]);
        await app.StartAsync();
        var baseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var api = new HttpClient { BaseAddress = new Uri(baseUrl + "/"), Timeout = TimeSpan.FromMinutes(2) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", InternalToken);
        await WaitReadyAsync(api);
        return (app, api);
    }

    /// <summary>Removes the bench's durable queues and their exchanges (the message-type exchanges are shared and stay).</summary>
    private static async Task DeleteQueuesAsync(BenchOptions options, string prefix)
    {
        var factory = new RabbitMQ.Client.ConnectionFactory { Uri = new Uri(options.RabbitMq) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        foreach (var queue in new[] { IngestionEndpoint.QueueName, IngestionEndpoint.BatchQueueName, "analytics-mcp-tool-called", "analytics-feedback" })
        {
            await channel.QueueDeleteAsync(prefix + queue, ifUnused: false, ifEmpty: false);
            await channel.ExchangeDeleteAsync(prefix + queue);
        }
    }

    /// <summary>
    /// As the router publishes them: RequestCompletedBatch messages of up to EventsPerMessage events and MaxMessageBytes of
    /// event JSON (the router's Journal:EventsPerMessage and Journal:MaxMessageBytes).
    /// </summary>
    private static async Task<TimeSpan> SendAsync(BenchOptions options, string prefix, List<RequestCompleted> events, Action? firstSend = null)
    {
        var messages = Pack(events, options.EventsPerMessage, options.MaxMessageBytes);
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host(new Uri(options.RabbitMq)));
        await bus.StartAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        try
        {
            var endpoint = await bus.GetSendEndpoint(new Uri($"exchange:{prefix}{IngestionEndpoint.BatchQueueName}"));
            firstSend?.Invoke();
            var clock = Stopwatch.StartNew();
            using var gate = new SemaphoreSlim(options.InFlight);
            var sends = new List<Task>();
            foreach (var message in messages)
            {
                await gate.WaitAsync();
                sends.Add(SendOneAsync(endpoint, message, gate));
            }
            await Task.WhenAll(sends);
            return clock.Elapsed;
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    private static List<RequestCompletedBatch> Pack(List<RequestCompleted> events, int maxEvents, int maxBytes)
    {
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var messages = new List<RequestCompletedBatch>();
        var current = new List<RequestCompleted>();
        long bytes = 0;
        foreach (var completed in events)
        {
            var size = JsonSerializer.SerializeToUtf8Bytes(completed, json).Length;
            if (current.Count > 0 && (current.Count == maxEvents || bytes + size > maxBytes))
            {
                messages.Add(new RequestCompletedBatch { Events = current });
                (current, bytes) = ([], 0);
            }
            current.Add(completed);
            bytes += size;
        }
        if (current.Count > 0) messages.Add(new RequestCompletedBatch { Events = current });
        return messages;
    }

    private static async Task SendOneAsync(ISendEndpoint endpoint, RequestCompletedBatch batch, SemaphoreSlim gate)
    {
        try
        {
            await endpoint.Send(batch);
        }
        finally
        {
            gate.Release();
        }
    }

    private static async Task QueriesAsync(BenchOptions options, HttpClient clickHouse, HttpClient api, WebApplication app)
    {
        var org = Guid.NewGuid();
        var clock = Stopwatch.StartNew();
        await ExecuteAsync(clickHouse, GenerateRowsSql(org, options.Rows, options.Days), options.Database);
        Console.WriteLine();
        Console.WriteLine($"Generated {options.Rows:N0} requests over {options.Days} days inside ClickHouse in {clock.Elapsed.TotalSeconds:F1} s");
        // Merges of the fresh parts compete with the queries; let them settle like a real table would be.
        await ExecuteAsync(clickHouse, "OPTIMIZE TABLE requests FINAL", options.Database);
        // The generated hours are closed: one roll puts them in requests_hourly, as the background job would.
        clock.Restart();
        await using (var scope = app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<HourlyRollup>().RunOnceAsync(CancellationToken.None);
        Console.WriteLine($"Rolled up the closed hours and days in {clock.Elapsed.TotalSeconds:F1} s (every generated hour is now rolled and clean, as a few minutes after ingestion)");

        var range = $"org_id={org}&from={Start:yyyy-MM-ddTHH:mm:ssZ}&to={Start.AddDays(options.Days):yyyy-MM-ddTHH:mm:ssZ}";
        var queryBody = new
        {
            org_id = org, metric = "cost", calculation = "sum", group_by = "model", time_grouping = "day",
            from = Start, to = Start.AddDays(options.Days),
        };
        (string Name, Func<Task<HttpResponseMessage>> Call)[] calls =
        [
            ("general (day)", () => api.GetAsync($"v1/analytics/general?{range}&time_grouping=day")),
            ("query cost by model, day", () => api.PostAsJsonAsync("v1/analytics/query", queryBody)),
            ("savings", () => api.GetAsync($"v1/analytics/savings?{range}")),
        ];
        Console.WriteLine();
        Console.WriteLine($"Dashboard queries over the API ({options.Iterations} timed calls each after {options.Warmup} warm-up; target p95 <= 200 ms)");
        Console.WriteLine($"  {"query",-28} {"p50 ms",10} {"p95 ms",10} {"max ms",10}");
        foreach (var (name, call) in calls)
        {
            for (var i = 0; i < options.Warmup; i++) await TimeAsync(call);
            var times = new List<double>();
            for (var i = 0; i < options.Iterations; i++) times.Add(await TimeAsync(call));
            times.Sort();
            Console.WriteLine($"  {name,-28} {Percentile(times, 0.5),10:F1} {Percentile(times, 0.95),10:F1} {times[^1],10:F1}");
        }
    }

    private static async Task<double> TimeAsync(Func<Task<HttpResponseMessage>> call)
    {
        var clock = Stopwatch.StartNew();
        using var response = await call();
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{(int)response.StatusCode}: {body}");
        return clock.Elapsed.TotalMilliseconds;
    }

    /// <summary>Nearest rank.</summary>
    private static double Percentile(List<double> sorted, double level) =>
        sorted[Math.Clamp((int)Math.Ceiling(level * sorted.Count) - 1, 0, sorted.Count - 1)];

    /// <summary>Requests spread evenly over the days, 5 models, 8 keys, 6 users, 4% errors, a third with cache reads.</summary>
    public static string GenerateRowsSql(Guid org, long rows, int days)
    {
        var start = new DateTimeOffset(Start).ToUnixTimeSeconds();
        var span = days * 86_400L;
        return $"""
            INSERT INTO requests (request_id, organization_id, api_key_id, user_id, endpoint, requested_model, served_model, served_provider,
                status, http_status, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_usd, cost_without_cache_usd,
                latency_ms, ttft_ms, started_at, completed_at, started_ms, completed_ms, schema_version, version)
            SELECT generateUUIDv4(), toUUID('{org}'),
                toUUID(concat('00000000-0000-4000-8000-00000000000', toString(number % 8))),
                toUUID(concat('00000000-0000-4000-9000-00000000000', toString(number % 6))),
                'chat.completions',
                arrayElement(['openai/gpt-4o', 'openai/gpt-4.1-mini', 'anthropic/claude-sonnet-4-5', 'google/gemini-2.5-pro', 'mistral/mistral-large'], (number % 5) + 1) AS m,
                m, splitByChar('/', m)[1],
                if(number % 25 = 0, 'error', 'success'), if(number % 25 = 0, 502, 200),
                (number * 7) % 6000, (number * 13) % 2000, if(number % 3 = 0, (number * 17) % 9000, 0), if(number % 12 = 0, 100, 0),
                toDecimal64((number * 7919) % 2000000, 9) / 1000000000 AS cost,
                if(number % 3 = 0, cost + toDecimal64(number % 1000, 9) / 1000000000, cost),
                toUInt32((number * 104729) % 20000 + 20) AS latency, toUInt32(latency / 3),
                toDateTime({start} + intDiv(number * {span}, {rows}), 'UTC') AS started, started + intDiv(latency, 1000),
                toUInt64(started) * 1000, toUInt64(started) * 1000 + latency, 1, 1
            FROM numbers({rows})
            """;
    }

    private static List<RequestCompleted> Generate(Guid org, int count)
    {
        var random = new Random(7);
        var models = new[] { "openai/gpt-4o", "openai/gpt-4.1-mini", "anthropic/claude-sonnet-4-5", "google/gemini-2.5-pro" };
        var users = Enumerable.Range(0, 6).Select(_ => Guid.NewGuid()).ToArray();
        var now = DateTime.UtcNow;
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var model = models[random.Next(models.Length)];
            var started = now.AddMilliseconds(-random.Next(0, 3_600_000));
            var latency = random.Next(20, 20_000);
            return new RequestCompleted
            {
                RequestId = Guid.NewGuid(), StartedAt = started, CompletedAt = started.AddMilliseconds(latency),
                Caller = new RequestCaller { OrganizationId = org, ApiKeyId = users[i % users.Length], UserId = users[i % users.Length] },
                Endpoint = "chat.completions", RequestedModel = model, ServedModel = model, ServedProvider = model.Split('/')[0],
                HttpStatus = 200, Status = "success",
                Usage = new TokenUsage { InputTokens = random.Next(0, 6000), OutputTokens = random.Next(0, 2000) },
                CostUsd = random.Next(0, 2_000_000) / 1_000_000_000m, LatencyMs = latency,
            };
        })];
    }

    private static async Task WaitReadyAsync(HttpClient api)
    {
        for (var i = 0; i < 600; i++)
        {
            try
            {
                using var response = await api.GetAsync("readyz");
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("The analytics service did not become ready within 60 s.");
    }

    private static HttpClient CreateClickHouseClient(BenchOptions options)
    {
        var http = new HttpClient { BaseAddress = new Uri(options.ClickHouseUrl), Timeout = TimeSpan.FromMinutes(10) };
        http.DefaultRequestHeaders.Add("X-ClickHouse-User", options.ClickHouseUser);
        if (options.ClickHousePassword.Length > 0) http.DefaultRequestHeaders.Add("X-ClickHouse-Key", options.ClickHousePassword);
        return http;
    }

    private static async Task ExecuteAsync(HttpClient clickHouse, string sql, string? withDatabase) => await QueryAsync(clickHouse, sql, withDatabase);

    private static async Task<string> QueryAsync(HttpClient clickHouse, string sql, string? database)
    {
        using var content = new StringContent(sql, Encoding.UTF8);
        using var response = await clickHouse.PostAsync(database is null ? "" : $"?database={Uri.EscapeDataString(database)}", content);
        var body = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? body.Trim() : throw new InvalidOperationException($"ClickHouse {(int)response.StatusCode}: {body}");
    }

    private static string Redact(string uri) => new UriBuilder(uri) { Password = "" }.Uri.ToString();
}
