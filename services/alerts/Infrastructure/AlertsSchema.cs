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
        new SchemaMigration(2, "alert rules, webhooks, budgets, fired ledger, delivery outbox", """
            CREATE TABLE alerts.rules (
                id              uuid        PRIMARY KEY,
                organization_id uuid        NOT NULL,
                type            text        NOT NULL,
                threshold       numeric     NOT NULL,
                created_at      timestamptz NOT NULL,
                UNIQUE (organization_id, type, threshold)
            );

            CREATE TABLE alerts.webhooks (
                organization_id  uuid        PRIMARY KEY,
                type             text        NOT NULL,
                url              text        NOT NULL,
                secret_encrypted bytea       NULL,
                updated_at       timestamptz NOT NULL
            );

            -- Budgets and names the payloads need; management will own them (until then PUT /v1/alerts/budgets/...).
            CREATE TABLE alerts.users (
                organization_id    uuid        NOT NULL,
                user_id            uuid        NOT NULL,
                email              text        NOT NULL,
                monthly_budget_usd numeric     NULL,
                updated_at         timestamptz NOT NULL,
                PRIMARY KEY (organization_id, user_id)
            );

            CREATE TABLE alerts.groups (
                organization_id           uuid        NOT NULL,
                group_id                  uuid        NOT NULL,
                name                      text        NOT NULL,
                monthly_budget_usd        numeric     NULL,
                member_monthly_budget_usd numeric     NULL,
                admin_emails              text[]      NOT NULL,
                updated_at                timestamptz NOT NULL,
                PRIMARY KEY (organization_id, group_id)
            );

            CREATE TABLE alerts.org_balances (
                organization_id uuid        PRIMARY KEY,
                balance_usd     numeric     NOT NULL,
                updated_at      timestamptz NOT NULL
            );

            -- One row per threshold crossing: (rule, subject, period) fires once. period is the UTC month
            -- ("2025-01") or "balance" for balance rules (deleted again by a top-up above the threshold).
            CREATE TABLE alerts.fired (
                rule_id         uuid        NOT NULL REFERENCES alerts.rules (id) ON DELETE CASCADE,
                organization_id uuid        NOT NULL,
                subject_scope   text        NOT NULL,
                subject_id      uuid        NOT NULL,
                group_id        uuid        NOT NULL,
                period          text        NOT NULL,
                request_id      uuid        NOT NULL,
                fired_at        timestamptz NOT NULL,
                PRIMARY KEY (rule_id, subject_scope, subject_id, group_id, period)
            );

            -- Outbox: written in the consumer's transaction, sent by the delivery worker.
            CREATE TABLE alerts.deliveries (
                id              uuid        PRIMARY KEY,
                organization_id uuid        NOT NULL,
                rule_id         uuid        NOT NULL,
                alert_type      text        NOT NULL,
                payload         json        NOT NULL, -- json, not jsonb: keeps the field order of the spec
                status          text        NOT NULL,
                attempts        integer     NOT NULL DEFAULT 0,
                next_attempt_at timestamptz NOT NULL,
                locked_until    timestamptz NULL,
                created_at      timestamptz NOT NULL,
                completed_at    timestamptz NULL
            );
            CREATE INDEX deliveries_pending ON alerts.deliveries (next_attempt_at) WHERE status = 'pending';
            CREATE INDEX deliveries_by_org ON alerts.deliveries (organization_id, created_at DESC);

            CREATE TABLE alerts.delivery_attempts (
                delivery_id  uuid        NOT NULL REFERENCES alerts.deliveries (id) ON DELETE CASCADE,
                attempt      integer     NOT NULL,
                webhook_type text        NOT NULL,
                url          text        NOT NULL,
                status_code  integer     NULL,
                latency_ms   integer     NOT NULL,
                error        text        NULL,
                attempted_at timestamptz NOT NULL,
                PRIMARY KEY (delivery_id, attempt)
            );
            """),
        new SchemaMigration(3, "budgets come from management; deferred evaluations", """
            -- Budgets, limits and the balance are read from management (the source of truth) since issue 7.
            DROP TABLE IF EXISTS alerts.users;
            DROP TABLE IF EXISTS alerts.groups;
            DROP TABLE IF EXISTS alerts.org_balances;

            -- Evaluations whose budgets management could not give; written in the spend transaction and
            -- retried by the pending-evaluation worker (the spend itself is already recorded).
            CREATE TABLE alerts.pending_evaluations (
                request_id      uuid        PRIMARY KEY,
                organization_id uuid        NOT NULL,
                caller          jsonb       NOT NULL,
                completed_at    timestamptz NOT NULL,
                attempts        integer     NOT NULL DEFAULT 0,
                next_attempt_at timestamptz NOT NULL,
                last_error      text        NULL,
                created_at      timestamptz NOT NULL
            );
            CREATE INDEX pending_evaluations_due ON alerts.pending_evaluations (next_attempt_at);
            """),
    ]);
}
