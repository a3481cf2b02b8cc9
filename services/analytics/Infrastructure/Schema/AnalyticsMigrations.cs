namespace Requesty.Analytics.Infrastructure.Schema;

/// <summary>
/// The analytics schema, oldest first. Never edit a released migration; append a new one.
/// </summary>
public static class AnalyticsMigrations
{
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "requests and tool_calls",
        [
            // One row per request. ReplacingMergeTree collapses redeliveries of the same event
            // (same sorting key: the org, start time and id come from the event) during merges;
            // reads that must be exact use FINAL. `version` is the ingestion time in ms, so the
            // latest copy wins. Partitions are months; ordering by org first keeps per-org scans cheap.
            new SqlStep("""
                CREATE TABLE IF NOT EXISTS requests
                (
                    request_id UUID,
                    organization_id UUID,
                    api_key_id UUID,
                    user_id UUID,
                    service_account_id UUID,
                    project_id UUID,
                    group_ids Array(UUID),
                    endpoint String,
                    requested_model String,
                    served_model String,
                    served_provider String,
                    policy_name String,
                    key_source String,
                    region String,
                    status String,
                    http_status UInt16,
                    error_kind String,
                    error_message String,
                    stream UInt8,
                    input_tokens UInt64,
                    output_tokens UInt64,
                    cache_read_tokens UInt64,
                    cache_write_tokens UInt64,
                    reasoning_tokens UInt64,
                    cost_usd Decimal(18, 9),
                    cost_without_cache_usd Decimal(18, 9),
                    latency_ms UInt32,
                    ttft_ms Nullable(UInt32),
                    started_at DateTime('UTC'),
                    completed_at DateTime('UTC'),
                    tags Array(String),
                    meta_keys Array(String),
                    meta_values Array(String),
                    end_user_id String,
                    trace_id String,
                    session_prefix_hash String,
                    session_conversation_hash String,
                    session_first_message_hash String,
                    attempts UInt16,
                    attempt_models Array(String),
                    attempt_providers Array(String),
                    attempt_http_statuses Array(UInt16),
                    attempt_error_kinds Array(String),
                    attempt_latencies_ms Array(UInt32),
                    tools_offered Array(String),
                    tool_call_count UInt32,
                    guardrail_names Array(String),
                    guardrail_actions Array(String),
                    guardrail_counts Array(UInt32),
                    schema_version UInt16,
                    version UInt64
                )
                ENGINE = ReplacingMergeTree(version)
                PARTITION BY toYYYYMM(started_at)
                ORDER BY (organization_id, started_at, request_id)
                """),
            // One row per tool call the model made; (request_id, call_index) identifies it.
            // Request-level dimensions are copied in so tool analytics need no join.
            new SqlStep("""
                CREATE TABLE IF NOT EXISTS tool_calls
                (
                    request_id UUID,
                    organization_id UUID,
                    api_key_id UUID,
                    started_at DateTime('UTC'),
                    call_index UInt16,
                    call_id String,
                    tool_name String,
                    arguments_bytes UInt32,
                    served_model String,
                    served_provider String,
                    status String,
                    latency_ms UInt32,
                    version UInt64
                )
                ENGINE = ReplacingMergeTree(version)
                PARTITION BY toYYYYMM(started_at)
                ORDER BY (organization_id, started_at, request_id, call_index)
                """),
        ]),
        new(2, "request_feedback",
        [
            // Feedback merged per request: each change inserts the whole merged object with a higher
            // version; reads use FINAL (or argMax) to see the latest.
            new SqlStep("""
                CREATE TABLE IF NOT EXISTS request_feedback
                (
                    request_id UUID,
                    organization_id UUID,
                    data String,
                    updated_at DateTime('UTC'),
                    version UInt64
                )
                ENGINE = ReplacingMergeTree(version)
                ORDER BY (organization_id, request_id)
                """),
        ]),
        new(3, "mcp_tool_calls",
        [
            // One row per tools/call the MCP gateway executed; redeliveries share call_id (and started_at,
            // from the event) so they collapse, and reads use FINAL.
            new SqlStep("""
                CREATE TABLE IF NOT EXISTS mcp_tool_calls
                (
                    call_id UUID,
                    organization_id UUID,
                    api_key_id UUID,
                    user_id UUID,
                    server_id UUID,
                    server_name String,
                    tool_name String,
                    started_at DateTime('UTC'),
                    latency_ms UInt32,
                    success UInt8,
                    error_kind String,
                    arguments_bytes UInt32,
                    result_bytes UInt32,
                    linked_request_id UUID,
                    schema_version UInt16,
                    version UInt64
                )
                ENGINE = ReplacingMergeTree(version)
                PARTITION BY toYYYYMM(started_at)
                ORDER BY (organization_id, started_at, call_id)
                """),
        ]),
        new(4, "requests: tool result ids and millisecond times",
        [
            // Client-side tool time = next request's start (carrying the call id as a tool result) minus the
            // completion of the request whose answer made the call; DateTime has whole seconds only.
            new AddColumnIfMissing("requests", "tool_result_ids", "Array(String)"),
            new AddColumnIfMissing("requests", "started_ms", "UInt64 DEFAULT 0"),
            new AddColumnIfMissing("requests", "completed_ms", "UInt64 DEFAULT 0"),
        ]),
        new(5, "requests_hourly rollup",
        [
            // Closed hours rolled up from requests FINAL by HourlyRollup (so redeliveries count once). A re-roll of an
            // hour writes every group again with a newer version, replacing the old rows; reads use FINAL. Latency
            // percentiles stay exact: the rollup keeps quantilesExact states, merged with states of the raw remainder.
            new SqlStep("""
                CREATE TABLE IF NOT EXISTS requests_hourly
                (
                    organization_id UUID,
                    hour DateTime('UTC'),
                    model String,
                    user_id UUID,
                    api_key_id UUID,
                    requests UInt64,
                    cost Decimal(38, 9),
                    savings Decimal(38, 9),
                    input_tokens UInt64,
                    output_tokens UInt64,
                    cached_tokens UInt64,
                    cache_write_tokens UInt64,
                    cache_hits UInt64,
                    latency_sum UInt64,
                    latency_quantiles AggregateFunction(quantilesExact(0.5, 0.9), UInt32),
                    version UInt64
                )
                ENGINE = ReplacingMergeTree(version)
                PARTITION BY toYYYYMM(hour)
                ORDER BY (organization_id, hour, model, user_id, api_key_id)
                """),
            // One row per completed roll: every hour before rolled_until is in requests_hourly, reflecting at least
            // all raw rows with version <= watermark (newer rows mark their hour dirty: read raw until re-rolled).
            new SqlStep("""
                CREATE TABLE IF NOT EXISTS rollup_runs
                (
                    rolled_until DateTime('UTC'),
                    watermark UInt64,
                    finished_at DateTime('UTC')
                )
                ENGINE = MergeTree
                ORDER BY finished_at
                """),
        ]),
        new(6, "latency_daily histograms and quantiles",
        [
            // Exact latency percentiles for whole days: the number of requests per distinct latency of an organisation's
            // day (a month of 10M requests has ~20k distinct values a day, not 10M) and the day's own p50/p90. Built by
            // HourlyRollup from requests FINAL for closed days, with the roll's version; readers take each day's newest
            // version and use a day only when it is at least as new as the day's hourly rows and no hour of it is dirty.
            new SqlStep("""
                CREATE TABLE IF NOT EXISTS latency_daily
                (
                    organization_id UUID,
                    day DateTime('UTC'),
                    latency_ms UInt32,
                    requests UInt64,
                    version UInt64
                )
                ENGINE = ReplacingMergeTree(version)
                PARTITION BY toYYYYMM(day)
                ORDER BY (organization_id, day, latency_ms)
                """),
            new SqlStep("""
                CREATE TABLE IF NOT EXISTS latency_daily_quantiles
                (
                    organization_id UUID,
                    day DateTime('UTC'),
                    p50 UInt32,
                    p90 UInt32,
                    version UInt64
                )
                ENGINE = ReplacingMergeTree(version)
                ORDER BY (organization_id, day)
                """),
        ]),
    ];
}
