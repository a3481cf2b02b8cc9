namespace Requesty.TestKit;

/// <summary>
/// Where the real servers started by `./requesty test` (or `./requesty servers start`) listen.
/// Tests use the *_test database / vhost so they never touch the demo's data. Override with
/// the environment variables the script exports.
/// </summary>
public static class TestServers
{
    public static string Postgres =>
        Env("REQUESTY_TEST_POSTGRES", "Host=127.0.0.1;Port=25432;Database=requesty_test;Username=requesty;Password=requesty");

    public static string RabbitMqUri =>
        Env("REQUESTY_TEST_RABBITMQ", "amqp://requesty:requesty@127.0.0.1:25672/requesty_test");

    public static string ClickHouseUrl => Env("REQUESTY_TEST_CLICKHOUSE_URL", "http://127.0.0.1:28123/");
    public static string ClickHouseDatabase => Env("REQUESTY_TEST_CLICKHOUSE_DATABASE", "requesty_test");
    public static string ClickHouseUser => Env("REQUESTY_TEST_CLICKHOUSE_USER", "requesty");
    public static string ClickHousePassword => Env("REQUESTY_TEST_CLICKHOUSE_PASSWORD", "requesty");

    /// <summary>Command-line style configuration that points a service at the test servers.</summary>
    public static string[] ServiceArgs(params string[] extra) =>
    [
        $"--ConnectionStrings:Postgres={Postgres}",
        $"--RabbitMq:Uri={RabbitMqUri}",
        $"--ClickHouse:Url={ClickHouseUrl}",
        $"--ClickHouse:Database={ClickHouseDatabase}",
        $"--ClickHouse:User={ClickHouseUser}",
        $"--ClickHouse:Password={ClickHousePassword}",
        $"--Internal:Token={InternalToken}",
        .. extra,
    ];

    /// <summary>Shared secret for service-to-service calls in tests.</summary>
    public const string InternalToken = "test-internal-token";

    private static string Env(string name, string fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : fallback;
}
