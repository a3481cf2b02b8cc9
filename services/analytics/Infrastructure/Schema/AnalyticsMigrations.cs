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
    ];
}
