using Requesty.ServiceDefaults;

namespace Requesty.McpGateway.Infrastructure;

/// <summary>The mcp schema. Append new migrations; never edit an applied one.</summary>
public static class McpSchema
{
    public static readonly PostgresSchema Definition = new("mcp",
    [
        new SchemaMigration(1, "processed requests and model tool calls", """
            -- One row per consumed RequestCompleted, also for requests without tool calls.
            CREATE TABLE mcp.processed_requests (
                request_id      uuid        PRIMARY KEY,
                organization_id uuid        NOT NULL,
                api_key_id      uuid        NOT NULL,
                user_id         uuid        NULL,
                tool_call_count integer     NOT NULL,
                completed_at    timestamptz NOT NULL,
                processed_at    timestamptz NOT NULL DEFAULT now()
            );
            CREATE INDEX processed_requests_org_completed ON mcp.processed_requests (organization_id, completed_at);

            -- Tool calls a model made in its answer (source 'model'); calls proxied through the
            -- gateway's MCP endpoint will be recorded here too with another source.
            CREATE TABLE mcp.tool_calls (
                request_id      uuid        NOT NULL REFERENCES mcp.processed_requests (request_id),
                call_index      integer     NOT NULL,
                organization_id uuid        NOT NULL,
                source          text        NOT NULL,
                tool_call_id    text        NULL,
                tool_name       text        NOT NULL,
                arguments_bytes integer     NOT NULL,
                called_at       timestamptz NOT NULL,
                PRIMARY KEY (request_id, call_index)
            );
            CREATE INDEX tool_calls_org_tool_called ON mcp.tool_calls (organization_id, tool_name, called_at);
            """),
    ]);
}
