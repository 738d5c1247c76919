/** The process table and its append-only transition history, in every tenant schema. */
import { appendOnly, type Migration, sql } from '@tenon/db';

export const processMigrations: Migration[] = [
  {
    id: 'kernel-0001-process',
    statements: (s) => [
      sql`CREATE TABLE ${sql.id(s, '_process')} (
        pid uuid PRIMARY KEY,
        service text NOT NULL,
        state text NOT NULL CHECK (state IN ('NEW', 'READY', 'RUNNING', 'WAITING', 'SUSPENDED', 'TERMINATED')),
        parent_id uuid REFERENCES ${sql.id(s, '_process')} (pid),
        predecessor_id uuid REFERENCES ${sql.id(s, '_process')} (pid),
        entity text,
        record_id uuid,
        operator_id text,
        role text,
        skills text[] NOT NULL DEFAULT '{}',
        priority integer NOT NULL DEFAULT 50 CHECK (priority BETWEEN 0 AND 100),
        due_at timestamptz,
        scheduled_start timestamptz,
        scheduled_end timestamptz,
        started_at timestamptz,
        ended_at timestamptz,
        ready_since timestamptz,
        context jsonb NOT NULL DEFAULT '{}',
        wait_reason text CHECK (wait_reason IN ('event', 'timer', 'children', 'resource', 'predecessor')),
        wait_on jsonb,
        exit_reason text CHECK (exit_reason IN ('done', 'cancelled', 'failed', 'timed_out')),
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        created_by text,
        updated_by text,
        CHECK ((state = 'TERMINATED') = (exit_reason IS NOT NULL)),
        CHECK (state <> 'RUNNING' OR operator_id IS NOT NULL),
        CHECK ((state = 'WAITING') = (wait_reason IS NOT NULL))
      )`,
      sql`CREATE INDEX ${sql.id('ix_process_ready')} ON ${sql.id(s, '_process')} (priority DESC, ready_since)
          WHERE state = 'READY'`,
      sql`CREATE INDEX ${sql.id('ix_process_operator')} ON ${sql.id(s, '_process')} (operator_id, state)`,
      sql`CREATE INDEX ${sql.id('ix_process_parent')} ON ${sql.id(s, '_process')} (parent_id)`,
      sql`CREATE INDEX ${sql.id('ix_process_predecessor')} ON ${sql.id(s, '_process')} (predecessor_id)`,
      sql`CREATE INDEX ${sql.id('ix_process_record')} ON ${sql.id(s, '_process')} (entity, record_id)`,
      sql`CREATE TABLE ${sql.id(s, '_process_event')} (
        id uuid PRIMARY KEY,
        pid uuid NOT NULL REFERENCES ${sql.id(s, '_process')} (pid),
        at timestamptz NOT NULL,
        transition text NOT NULL,
        from_state text,
        to_state text NOT NULL,
        actor_id text,
        actor_name text NOT NULL,
        reason text,
        data jsonb
      )`,
      sql`CREATE INDEX ${sql.id('ix_process_event_pid')} ON ${sql.id(s, '_process_event')} (pid, at)`,
      ...appendOnly(s, '_process_event'),
    ],
  },
];
