using Microsoft.Extensions.Diagnostics.HealthChecks;
using Requesty.Analytics.Infrastructure.Schema;

namespace Requesty.Analytics.Infrastructure.ClickHouse;

/// <summary>Ready when ClickHouse answers /ping and the schema migrations have been applied.</summary>
public sealed class ClickHouseHealthCheck(ClickHouseClient clickHouse, SchemaReadiness schema) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            if (!await clickHouse.PingAsync(timeout.Token)) return HealthCheckResult.Unhealthy("clickhouse ping failed");
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("clickhouse unreachable", ex);
        }
        return schema.IsReady
            ? HealthCheckResult.Healthy("clickhouse reachable, schema up to date")
            : HealthCheckResult.Unhealthy("clickhouse reachable, schema migrations pending");
    }
}
