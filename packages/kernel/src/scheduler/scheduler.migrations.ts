/**
 * Allocations: a process holding units of a resource over [start_at, end_at). `booking` = a future slot
 * booked ahead (appointment, work-order operation), `hold` = taken by a dispatch round. Released rows
 * stay (released_at set): the resource's schedule keeps its history.
 */
import { type Migration, sql } from '@tenon/db';

export const schedulerMigrations: Migration[] = [
  {
    id: 'kernel-0100-allocation',
    statements: (s) => [
      sql`CREATE TABLE ${sql.id(s, '_allocation')} (
        id uuid PRIMARY KEY,
        pid uuid NOT NULL REFERENCES ${sql.id(s, '_process')} (pid),
        resource_id uuid NOT NULL,
        quantity integer NOT NULL CHECK (quantity >= 1),
        start_at timestamptz NOT NULL,
        end_at timestamptz NOT NULL,
        kind text NOT NULL CHECK (kind IN ('booking', 'hold')),
        released_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by text,
        CHECK (end_at > start_at)
      )`,
      sql`CREATE INDEX ${sql.id('ix_allocation_resource')} ON ${sql.id(s, '_allocation')}
          (resource_id, start_at, end_at) WHERE released_at IS NULL`,
      sql`CREATE INDEX ${sql.id('ix_allocation_pid')} ON ${sql.id(s, '_allocation')} (pid)`,
    ],
  },
];
