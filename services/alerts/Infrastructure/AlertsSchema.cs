using Requesty.ServiceDefaults;

namespace Requesty.Alerts.Infrastructure;

/// <summary>The alerts schema. Append new migrations; never edit an applied one.</summary>
public static class AlertsSchema
{
    public static readonly PostgresSchema Definition = new("alerts",
    [
        new SchemaMigration(1, "processed requests and monthly spend", """
            CREATE TABLE alerts.processed_requests (
                request_id      uuid        PRIMARY KEY,
                organization_id uuid        NOT NULL,
                cost_usd        numeric     NOT NULL,
                completed_at    timestamptz NOT NULL,
                processed_at    timestamptz NOT NULL DEFAULT now()
            );

            -- One row per spend scope and calendar month (UTC). scope_id is the organization, user,
            -- api key or group id; group_id is the nil uuid unless the row is scoped to a group.
            CREATE TABLE alerts.spend (
                organization_id uuid        NOT NULL,
                month           date        NOT NULL,
                scope           text        NOT NULL,
                scope_id        uuid        NOT NULL,
                group_id        uuid        NOT NULL,
                spend_usd       numeric     NOT NULL,
                request_count   bigint      NOT NULL,
                updated_at      timestamptz NOT NULL,
                PRIMARY KEY (organization_id, month, scope, scope_id, group_id)
            );
            """),
    ]);
}
