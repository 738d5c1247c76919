/** Identity's tables: global users, sessions and sign-in events in the platform schema; roles per tenant. */
import { appendOnly, type MigrationSet, sql } from '@tenon/db';

const STAMPS = sql`created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now()`;

export const identityMigrations: MigrationSet = {
  name: 'identity',
  platform: [
    {
      id: 'identity-0001-users',
      statements: (s) => [
        sql`CREATE TABLE ${sql.id(s, 'user')} (
          id uuid PRIMARY KEY,
          username text NOT NULL,
          display_name text,
          email text,
          password_hash text NOT NULL,
          must_change_password boolean NOT NULL DEFAULT false,
          disabled boolean NOT NULL DEFAULT false,
          failed_logins integer NOT NULL DEFAULT 0,
          locked_until timestamptz,
          mfa_secret text,
          mfa_enabled boolean NOT NULL DEFAULT false,
          recovery_codes jsonb NOT NULL DEFAULT '[]',
          password_changed_at timestamptz,
          version integer NOT NULL DEFAULT 1,
          ${STAMPS}
        )`,
        sql`CREATE UNIQUE INDEX ${sql.id('ux_user_username')} ON ${sql.id(s, 'user')} (lower(username))`,
        sql`CREATE TABLE ${sql.id(s, 'membership')} (
          user_id uuid NOT NULL REFERENCES ${sql.id(s, 'user')} (id) ON DELETE CASCADE,
          tenant_id uuid NOT NULL REFERENCES ${sql.id(s, 'tenant')} (id) ON DELETE CASCADE,
          roles text[] NOT NULL DEFAULT '{}',
          attributes jsonb NOT NULL DEFAULT '{}',
          ${STAMPS},
          PRIMARY KEY (user_id, tenant_id)
        )`,
        sql`CREATE TABLE ${sql.id(s, 'refresh_token')} (
          id uuid PRIMARY KEY,
          family_id uuid NOT NULL,
          user_id uuid NOT NULL REFERENCES ${sql.id(s, 'user')} (id) ON DELETE CASCADE,
          tenant_id uuid NOT NULL REFERENCES ${sql.id(s, 'tenant')} (id) ON DELETE CASCADE,
          token_hash text NOT NULL UNIQUE,
          expires_at timestamptz NOT NULL,
          used_at timestamptz,
          revoked_at timestamptz,
          ip text,
          user_agent text,
          created_at timestamptz NOT NULL DEFAULT now()
        )`,
        sql`CREATE INDEX ${sql.id('ix_refresh_token_family')} ON ${sql.id(s, 'refresh_token')} (family_id)`,
        sql`CREATE INDEX ${sql.id('ix_refresh_token_user')} ON ${sql.id(s, 'refresh_token')} (user_id)`,
        sql`CREATE TABLE ${sql.id(s, 'api_token')} (
          id uuid PRIMARY KEY,
          user_id uuid NOT NULL REFERENCES ${sql.id(s, 'user')} (id) ON DELETE CASCADE,
          tenant_id uuid NOT NULL REFERENCES ${sql.id(s, 'tenant')} (id) ON DELETE CASCADE,
          name text NOT NULL,
          token_hash text NOT NULL UNIQUE,
          scopes text[] NOT NULL DEFAULT '{}',
          expires_at timestamptz,
          revoked_at timestamptz,
          last_used_at timestamptz,
          created_at timestamptz NOT NULL DEFAULT now()
        )`,
        sql`CREATE TABLE ${sql.id(s, 'secret')} (name text PRIMARY KEY, value text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`,
        sql`CREATE TABLE ${sql.id(s, 'auth_event')} (
          id uuid PRIMARY KEY,
          at timestamptz NOT NULL DEFAULT now(),
          user_id uuid,
          tenant_id uuid,
          username text,
          event text NOT NULL,
          ip text,
          user_agent text,
          trace_id text
        )`,
        sql`CREATE INDEX ${sql.id('ix_auth_event_user')} ON ${sql.id(s, 'auth_event')} (user_id, at)`,
        ...appendOnly(s, 'auth_event'),
      ],
    },
    {
      id: 'identity-0002-membership-disabled',
      statements: (s) => [
        sql`ALTER TABLE ${sql.id(s, 'membership')} ADD COLUMN IF NOT EXISTS disabled boolean NOT NULL DEFAULT false`,
      ],
    },
    {
      // The last TOTP time step accepted per user: a code is good once (no replay within its window).
      id: 'identity-0003-mfa-last-step',
      statements: (s) => [
        sql`ALTER TABLE ${sql.id(s, 'user')} ADD COLUMN IF NOT EXISTS mfa_last_step bigint`,
      ],
    },
  ],
  tenant: [
    {
      id: 'identity-0001-roles',
      statements: (s) => [
        sql`CREATE TABLE ${sql.id(s, '_role')} (
          name text PRIMARY KEY,
          definition jsonb NOT NULL,
          version integer NOT NULL DEFAULT 1,
          updated_by text,
          ${STAMPS}
        )`,
      ],
    },
  ],
};
