/** The rule run log (append-only) and users' notifications, in every tenant schema. */
import { appendOnly, type Migration, sql } from '@tenon/db';

export const rulesMigrations: Migration[] = [
  {
    id: 'kernel-0300-rule-run',
    statements: (s) => [
      sql`CREATE TABLE ${sql.id(s, '_rule_run')} (
        id uuid PRIMARY KEY,
        rule text NOT NULL,
        rule_version integer,
        event_id text,
        topic text NOT NULL,
        entity text,
        record_id text,
        depth integer NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('ok', 'skipped', 'error', 'loop', 'depth')),
        error text,
        at timestamptz NOT NULL
      )`,
      sql`CREATE INDEX ${sql.id('ix_rule_run_rule')} ON ${sql.id(s, '_rule_run')} (rule, at DESC)`,
      sql`CREATE INDEX ${sql.id('ix_rule_run_event')} ON ${sql.id(s, '_rule_run')} (event_id)`,
      ...appendOnly(s, '_rule_run'),
    ],
  },
  {
    id: 'kernel-0301-notification',
    statements: (s) => [
      sql`CREATE TABLE ${sql.id(s, '_notification')} (
        id uuid PRIMARY KEY,
        user_id text,
        role text,
        title jsonb NOT NULL,
        body text,
        entity text,
        record_id text,
        rule text,
        read_at timestamptz,
        created_at timestamptz NOT NULL,
        CHECK ((user_id IS NULL) <> (role IS NULL))
      )`,
      sql`CREATE INDEX ${sql.id('ix_notification_user')} ON ${sql.id(s, '_notification')} (user_id, created_at DESC)`,
      sql`CREATE INDEX ${sql.id('ix_notification_role')} ON ${sql.id(s, '_notification')} (role, created_at DESC)`,
    ],
  },
];
