using Requesty.ServiceDefaults;

namespace Requesty.Management.Infrastructure.Database;

/// <summary>
/// The "management" schema: ordered, append-only list of schema changes. Never edit a migration
/// that has shipped; add a new one.
/// </summary>
public static class ManagementSchema
{
    public static readonly PostgresSchema Definition = new("management",
    [
        new SchemaMigration(1, "event store and outbox checkpoint", """
            CREATE TABLE management.events (
                seq          bigint      PRIMARY KEY,
                stream_id    uuid        NOT NULL,
                stream_type  text        NOT NULL,
                version      bigint      NOT NULL,
                event_type   text        NOT NULL,
                data         jsonb       NOT NULL,
                metadata     jsonb       NOT NULL,
                occurred_at  timestamptz NOT NULL,
                CONSTRAINT events_stream_version_unique UNIQUE (stream_id, version)
            );
            CREATE TABLE management.outbox_checkpoint (
                name        text        PRIMARY KEY,
                position    bigint      NOT NULL,
                updated_at  timestamptz NOT NULL
            );
            """),
        new SchemaMigration(2, "organization and api key read models", """
            CREATE TABLE management.organizations (
                id          uuid        PRIMARY KEY,
                name        text        NOT NULL,
                created_at  timestamptz NOT NULL,
                version     bigint      NOT NULL
            );
            CREATE TABLE management.api_keys (
                id                  uuid        PRIMARY KEY,
                organization_id     uuid        NOT NULL,
                name                text        NOT NULL,
                key_hash            text        NOT NULL,
                prefix              text        NOT NULL,
                permissions         text[]      NOT NULL,
                monthly_limit       numeric     NULL,
                labels              jsonb       NOT NULL,
                expires_at          timestamptz NULL,
                project_id          uuid        NULL,
                service_account_id  uuid        NULL,
                user_id             uuid        NULL,
                created_by          uuid        NULL,
                created_at          timestamptz NOT NULL,
                updated_at          timestamptz NOT NULL,
                deleted_at          timestamptz NULL,
                version             bigint      NOT NULL,
                CONSTRAINT api_keys_key_hash_unique UNIQUE (key_hash)
            );
            CREATE INDEX api_keys_organization_idx ON management.api_keys (organization_id);
            """),
        new SchemaMigration(3, "monthly spend per api key", """
            CREATE TABLE management.processed_requests (
                request_id    uuid        PRIMARY KEY,
                deliveries    integer     NOT NULL,
                processed_at  timestamptz NOT NULL
            );
            CREATE TABLE management.api_key_monthly_spend (
                api_key_id       uuid        NOT NULL,
                month            date        NOT NULL,
                organization_id  uuid        NOT NULL,
                spend_usd        numeric     NOT NULL,
                request_count    bigint      NOT NULL,
                updated_at       timestamptz NOT NULL,
                PRIMARY KEY (api_key_id, month)
            );
            """),
        new SchemaMigration(4, "users, groups, members, service accounts, projects, organisation settings", """
            CREATE TABLE management.users (
                id                  uuid        PRIMARY KEY,
                organization_id     uuid        NOT NULL,
                email               text        NOT NULL,
                role                text        NOT NULL,
                monthly_limit       numeric     NULL,
                status              text        NOT NULL,
                private_project_id  uuid        NULL,
                created_at          timestamptz NOT NULL,
                updated_at          timestamptz NOT NULL,
                deleted_at          timestamptz NULL,
                version             bigint      NOT NULL
            );
            CREATE UNIQUE INDEX users_email_unique ON management.users (organization_id, lower(email)) WHERE deleted_at IS NULL;
            CREATE TABLE management.groups (
                id               uuid        PRIMARY KEY,
                organization_id  uuid        NOT NULL,
                name             text        NOT NULL,
                description      text        NULL,
                monthly_budget   numeric     NULL,
                created_at       timestamptz NOT NULL,
                updated_at       timestamptz NOT NULL,
                deleted_at       timestamptz NULL,
                version          bigint      NOT NULL
            );
            CREATE INDEX groups_organization_idx ON management.groups (organization_id);
            CREATE TABLE management.group_members (
                group_id         uuid        NOT NULL,
                user_id          uuid        NOT NULL,
                organization_id  uuid        NOT NULL,
                role             text        NOT NULL,
                added_at         timestamptz NOT NULL,
                PRIMARY KEY (group_id, user_id)
            );
            CREATE INDEX group_members_user_idx ON management.group_members (user_id);
            CREATE TABLE management.service_accounts (
                id               uuid        PRIMARY KEY,
                organization_id  uuid        NOT NULL,
                name             text        NOT NULL,
                description      text        NULL,
                created_at       timestamptz NOT NULL,
                updated_at       timestamptz NOT NULL,
                deleted_at       timestamptz NULL,
                version          bigint      NOT NULL
            );
            CREATE TABLE management.projects (
                id               uuid        PRIMARY KEY,
                organization_id  uuid        NOT NULL,
                name             text        NOT NULL,
                kind             text        NOT NULL,
                owner_user_id    uuid        NULL,
                monthly_limit    numeric     NULL,
                created_at       timestamptz NOT NULL,
                updated_at       timestamptz NOT NULL,
                deleted_at       timestamptz NULL,
                version          bigint      NOT NULL
            );
            CREATE INDEX projects_organization_idx ON management.projects (organization_id);
            ALTER TABLE management.organizations
                ADD COLUMN default_model               text    NULL,
                ADD COLUMN default_user_monthly_limit  numeric NULL,
                ADD COLUMN billing_mode                text    NOT NULL DEFAULT 'postpaid',
                ADD COLUMN credits_usd                 numeric NOT NULL DEFAULT 0,
                ADD COLUMN updated_at                  timestamptz NULL;
            """),
        new SchemaMigration(7, "stream owners: the organisation each event stream belongs to (audit log)", """
            CREATE TABLE management.stream_owners (
                stream_id        uuid  PRIMARY KEY,
                stream_type      text  NOT NULL,
                organization_id  uuid  NOT NULL
            );
            CREATE INDEX stream_owners_organization_idx ON management.stream_owners (organization_id, stream_id);
            INSERT INTO management.stream_owners (stream_id, stream_type, organization_id)
            SELECT e.stream_id, e.stream_type, coalesce((e.data->>'organizationId')::uuid, k.organization_id)
            FROM management.events e
            LEFT JOIN management.api_keys k ON e.metadata->>'actor' = 'api_key:' || k.id::text
            WHERE e.version = 1 AND coalesce((e.data->>'organizationId')::uuid, k.organization_id) IS NOT NULL
            ON CONFLICT (stream_id) DO NOTHING;
            """),
        new SchemaMigration(6, "monthly spend per scope, spend limit blocks", """
            CREATE TABLE management.monthly_spend (
                scope            text        NOT NULL,
                scope_id         uuid        NOT NULL,
                month            date        NOT NULL,
                organization_id  uuid        NOT NULL,
                spend_usd        numeric     NOT NULL,
                request_count    bigint      NOT NULL,
                updated_at       timestamptz NOT NULL,
                PRIMARY KEY (scope, scope_id, month)
            );
            CREATE INDEX monthly_spend_organization_idx ON management.monthly_spend (organization_id, month);
            INSERT INTO management.monthly_spend (scope, scope_id, month, organization_id, spend_usd, request_count, updated_at)
            SELECT 'api_key', api_key_id, month, organization_id, spend_usd, request_count, updated_at FROM management.api_key_monthly_spend;
            INSERT INTO management.monthly_spend (scope, scope_id, month, organization_id, spend_usd, request_count, updated_at)
            SELECT 'organization', organization_id, month, organization_id, sum(spend_usd), sum(request_count), max(updated_at)
            FROM management.api_key_monthly_spend GROUP BY organization_id, month;
            CREATE TABLE management.spend_blocks (
                scope            text        NOT NULL,
                scope_id         uuid        NOT NULL,
                organization_id  uuid        NOT NULL,
                month            date        NULL,
                spend_usd        numeric     NOT NULL,
                limit_usd        numeric     NULL,
                changed_at       timestamptz NOT NULL,
                version          bigint      NOT NULL,
                PRIMARY KEY (scope, scope_id)
            );
            """),
        new SchemaMigration(8, "own provider keys (BYOK), sealed with AES-256-GCM", """
            CREATE TABLE management.byok_keys (
                organization_id  uuid        NOT NULL,
                provider         text        NOT NULL,
                stream_id        uuid        NOT NULL UNIQUE,
                key_id           text        NOT NULL,
                nonce            bytea       NOT NULL,
                ciphertext       bytea       NOT NULL,
                tag              bytea       NOT NULL,
                hint             text        NOT NULL,
                set_by           uuid        NULL,
                created_at       timestamptz NOT NULL,
                updated_at       timestamptz NOT NULL,
                version          bigint      NOT NULL,
                PRIMARY KEY (organization_id, provider)
            );
            """),
        new SchemaMigration(5, "api key owner lookups (user, service account, project)", """
            CREATE INDEX IF NOT EXISTS api_keys_user_idx ON management.api_keys (user_id) WHERE deleted_at IS NULL;
            CREATE INDEX IF NOT EXISTS api_keys_service_account_idx ON management.api_keys (service_account_id) WHERE deleted_at IS NULL;
            CREATE INDEX IF NOT EXISTS api_keys_project_idx ON management.api_keys (project_id) WHERE deleted_at IS NULL;
            CREATE INDEX IF NOT EXISTS users_organization_idx ON management.users (organization_id);
            """),
        new SchemaMigration(9, "groups: optional monthly limit per member", """
            ALTER TABLE management.groups ADD COLUMN IF NOT EXISTS member_monthly_limit numeric NULL;
            """),
    ]);
}
