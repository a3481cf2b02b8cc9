using System.Runtime.Versioning;

// These tests drive Linux processes (bash, PostgreSQL, RabbitMQ, ClickHouse) and read /proc.
[assembly: SupportedOSPlatform("linux")]
