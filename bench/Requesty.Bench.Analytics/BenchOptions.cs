namespace Requesty.Bench.Analytics;

/// <summary>Command-line options (--name value).</summary>
public sealed record BenchOptions
{
    public string ClickHouseUrl { get; init; } = "http://127.0.0.1:28123/";
    public string ClickHouseUser { get; init; } = "requesty";
    public string ClickHousePassword { get; init; } = "requesty";
    /// <summary>Dropped and recreated by every run: never one of the service's real databases.</summary>
    public string Database { get; init; } = "requesty_bench";
    public string RabbitMq { get; init; } = "amqp://requesty:requesty@127.0.0.1:25672/requesty_bench";
    /// <summary>RequestCompleted events sent through RabbitMQ in the ingest phase.</summary>
    public int Events { get; init; } = 100_000;
    /// <summary>Events ingested (and not measured) before the measured ones, so the service runs optimised code.</summary>
    public int WarmupEvents { get; init; } = 50_000;
    /// <summary>Requests generated inside ClickHouse for the query phase.</summary>
    public long Rows { get; init; } = 10_000_000;
    public int Days { get; init; } = 30;
    public int Iterations { get; init; } = 20;
    public int Warmup { get; init; } = 3;
    /// <summary>Messages sent and not yet confirmed at most.</summary>
    public int InFlight { get; init; } = 50;
    /// <summary>Events per RequestCompletedBatch message (the router's default; 1 sends one event per message).</summary>
    public int EventsPerMessage { get; init; } = 100;
    public int MaxMessageBytes { get; init; } = 48 * 1024;

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--clickhouse" => options with { ClickHouseUrl = Next() },
                "--clickhouse-user" => options with { ClickHouseUser = Next() },
                "--clickhouse-password" => options with { ClickHousePassword = Next() },
                "--database" => options with { Database = Next() },
                "--rabbitmq" => options with { RabbitMq = Next() },
                "--events" => options with { Events = int.Parse(Next()) },
                "--warmup-events" => options with { WarmupEvents = int.Parse(Next()) },
                "--rows" => options with { Rows = long.Parse(Next()) },
                "--days" => options with { Days = int.Parse(Next()) },
                "--iterations" => options with { Iterations = int.Parse(Next()) },
                "--warmup" => options with { Warmup = int.Parse(Next()) },
                "--in-flight" => options with { InFlight = int.Parse(Next()) },
                "--events-per-message" => options with { EventsPerMessage = int.Parse(Next()) },
                "--max-message-bytes" => options with { MaxMessageBytes = int.Parse(Next()) },
                _ => throw new ArgumentException($"Unknown option {args[i]}. See bench/README.md."),
            };
        }
        if (options.Database is "requesty" or "requesty_test" || !options.Database.Contains("bench", StringComparison.Ordinal))
            throw new ArgumentException("--database must be a dedicated bench database (its name must contain 'bench'); it is dropped.");
        return options;
    }
}
