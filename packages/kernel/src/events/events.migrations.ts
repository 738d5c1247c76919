/** Webhooks with their delivery queue, and durable timers, in every tenant schema. */
import { type Migration, sql } from '@tenon/db';

export const eventsMigrations: Migration[] = [
  {
    id: 'kernel-0200-webhooks',
    statements: (s) => [
      sql`CREATE TABLE ${sql.id(s, '_webhook')} (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        url text NOT NULL,
        secret text NOT NULL,
        topics text[] NOT NULL DEFAULT '{}',
        entity text,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        created_by text,
        updated_by text,
        version integer NOT NULL DEFAULT 1
      )`,
      sql`CREATE TABLE ${sql.id(s, '_webhook_delivery')} (
        id uuid PRIMARY KEY,
        webhook_id uuid NOT NULL REFERENCES ${sql.id(s, '_webhook')} (id) ON DELETE CASCADE,
        event_id text NOT NULL,
        event jsonb NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        next_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
        last_status integer,
        last_error text,
        delivered_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        UNIQUE (webhook_id, event_id)
      )`,
      sql`CREATE INDEX ${sql.id('ix_webhook_delivery_due')} ON ${sql.id(s, '_webhook_delivery')} (next_at)
        WHERE status = 'pending'`,
    ],
  },
  {
    id: 'kernel-0201-timers',
    statements: (s) => [
      sql`CREATE TABLE ${sql.id(s, '_timer')} (
        id uuid PRIMARY KEY,
        due_at timestamptz NOT NULL,
        topic text NOT NULL DEFAULT 'timer.fired',
        payload jsonb NOT NULL DEFAULT '{}',
        pid uuid,
        rule text,
        created_at timestamptz NOT NULL DEFAULT now(),
        fired_at timestamptz
      )`,
      sql`CREATE INDEX ${sql.id('ix_timer_due')} ON ${sql.id(s, '_timer')} (due_at) WHERE fired_at IS NULL`,
      sql`CREATE INDEX ${sql.id('ix_timer_pid')} ON ${sql.id(s, '_timer')} (pid) WHERE pid IS NOT NULL`,
    ],
  },
];
