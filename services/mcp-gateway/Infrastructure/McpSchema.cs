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
        new SchemaMigration(2, "registered upstream MCP servers", """
            -- Header values are secrets: only their names are plaintext; the values are one
            -- AES-256-GCM blob (nonce | tag | ciphertext) bound to the row id, with the key id for rotation.
            CREATE TABLE mcp.servers (
                id                 uuid        PRIMARY KEY,
                organization_id    uuid        NOT NULL,
                name               text        NOT NULL,
                url                text        NOT NULL,
                transport          text        NOT NULL CHECK (transport IN ('streamable-http', 'sse')),
                enabled            boolean     NOT NULL,
                allow_user_keys    boolean     NOT NULL,
                header_names       text[]      NOT NULL,
                headers_key_id     text        NULL,
                headers_ciphertext bytea       NULL,
                enabled_tools      text[]      NOT NULL,
                created_at         timestamptz NOT NULL,
                updated_at         timestamptz NOT NULL
            );
            CREATE UNIQUE INDEX servers_org_name ON mcp.servers (organization_id, lower(name));
            """),
        new SchemaMigration(3, "user keys, server health, gateway tool calls", """
            -- Which headers hold {{VARIABLE}} templates and the variable names (not secret), so key
            -- status can be shown without decrypting anything.
            ALTER TABLE mcp.servers
                ADD COLUMN template_headers   text[] NOT NULL DEFAULT '{}',
                ADD COLUMN template_variables text[] NOT NULL DEFAULT '{}';

            -- A user's own header values and template variables for one server, sealed like the
            -- server's headers (associated data: server id + user id); names only in plaintext.
            CREATE TABLE mcp.user_keys (
                server_id       uuid        NOT NULL REFERENCES mcp.servers (id) ON DELETE CASCADE,
                user_id         uuid        NOT NULL,
                organization_id uuid        NOT NULL,
                header_names    text[]      NOT NULL,
                variable_names  text[]      NOT NULL,
                key_id          text        NOT NULL,
                ciphertext      bytea       NOT NULL,
                updated_at      timestamptz NOT NULL,
                PRIMARY KEY (server_id, user_id)
            );

            -- Latest health check per server (healthy / warning / error / disabled).
            CREATE TABLE mcp.server_health (
                server_id  uuid        PRIMARY KEY REFERENCES mcp.servers (id) ON DELETE CASCADE,
                status     text        NOT NULL,
                detail     text        NULL,
                latency_ms integer     NULL,
                tool_names text[]      NULL,
                checked_at timestamptz NOT NULL
            );

            -- Tool calls proxied by the gateway's MCP endpoint.
            CREATE TABLE mcp.gateway_tool_calls (
                id              uuid        PRIMARY KEY,
                organization_id uuid        NOT NULL,
                api_key_id      uuid        NOT NULL,
                user_id         uuid        NULL,
                server_id       uuid        NOT NULL,
                server_name     text        NOT NULL,
                tool_name       text        NOT NULL,
                called_at       timestamptz NOT NULL,
                latency_ms      integer     NOT NULL,
                success         boolean     NOT NULL,
                error           text        NULL
            );
            CREATE INDEX gateway_tool_calls_org_called ON mcp.gateway_tool_calls (organization_id, called_at);
            """),
        new SchemaMigration(4, "audit of configuration changes", """
            -- Who changed which server how; details name fields and headers, never their values.
            CREATE TABLE mcp.audit_log (
                id              uuid        PRIMARY KEY,
                organization_id uuid        NOT NULL,
                actor           text        NOT NULL,
                user_id         uuid        NULL,
                action          text        NOT NULL,
                server_id       uuid        NULL,
                details         jsonb       NOT NULL,
                at              timestamptz NOT NULL
            );
            CREATE INDEX audit_log_org_at ON mcp.audit_log (organization_id, at DESC);
            """),
        new SchemaMigration(5, "user key verification", """
            -- Set when the upstream refused the user's credentials (401/403); cleared when they change.
            ALTER TABLE mcp.user_keys ADD COLUMN rejection text NULL;
            """),
        new SchemaMigration(6, "execution details, model tool call links, McpToolCalled outbox", """
            -- id is the CallId of the McpToolCalled event. Sizes are byte counts of the JSON, never the JSON.
            ALTER TABLE mcp.gateway_tool_calls
                ADD COLUMN started_at        timestamptz NULL,
                ADD COLUMN client_call_id    text        NULL,
                ADD COLUMN error_kind        text        NULL,
                ADD COLUMN arguments_bytes   integer     NOT NULL DEFAULT 0,
                ADD COLUMN result_bytes      integer     NOT NULL DEFAULT 0,
                ADD COLUMN linked_request_id uuid        NULL;
            CREATE INDEX gateway_tool_calls_org_client_call ON mcp.gateway_tool_calls (organization_id, client_call_id)
                WHERE client_call_id IS NOT NULL;
            CREATE INDEX gateway_tool_calls_linked_request ON mcp.gateway_tool_calls (linked_request_id)
                WHERE linked_request_id IS NOT NULL;

            -- Lookups of a model tool call by its id (execution linking).
            CREATE INDEX tool_calls_org_call_id ON mcp.tool_calls (organization_id, tool_call_id) WHERE tool_call_id IS NOT NULL;

            -- Events written in the same transaction as the execution row; the publisher sends and marks them.
            CREATE TABLE mcp.outbox (
                id           uuid        PRIMARY KEY,
                message_type text        NOT NULL,
                payload      jsonb       NOT NULL,
                created_at   timestamptz NOT NULL,
                published_at timestamptz NULL,
                attempts     integer     NOT NULL DEFAULT 0,
                last_error   text        NULL
            );
            CREATE INDEX outbox_pending ON mcp.outbox (created_at) WHERE published_at IS NULL;
            """),
    ]);
}
