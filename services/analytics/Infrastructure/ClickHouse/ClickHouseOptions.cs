namespace Requesty.Analytics.Infrastructure.ClickHouse;

/// <summary>Where ClickHouse's HTTP interface listens (configuration section "ClickHouse").</summary>
public sealed class ClickHouseOptions
{
    public const string Section = "ClickHouse";

    public string Url { get; set; } = "http://127.0.0.1:28123/";
    public string Database { get; set; } = "requesty";
    public string User { get; set; } = "default";
    public string Password { get; set; } = "";
    public int TimeoutSeconds { get; set; } = 30;
}
