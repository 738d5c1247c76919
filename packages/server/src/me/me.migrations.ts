/**
 * The console's per-user tables in every tenant schema: saved list views (private or shared with the
 * tenant), each user's default view per entity, and per-user preferences (dashboard, company).
 */
import { type MigrationSet, sql } from '@tenon/db';

export const consoleUserMigrations: MigrationSet = {
  name: 'console-user',
  tenant: [
    {
      id: 'console-0001-user-views-preferences',
      statements: (s) => [
        sql`CREATE TABLE ${sql.id(s, '_user_view')} (
          id uuid PRIMARY KEY,
          owner_id uuid NOT NULL,
          owner_name text NOT NULL,
          entity text NOT NULL,
          name text NOT NULL,
          shared boolean NOT NULL DEFAULT false,
          state jsonb NOT NULL,
          version integer NOT NULL DEFAULT 1,
          created_at timestamptz NOT NULL DEFAULT now(),
          updated_at timestamptz NOT NULL DEFAULT now(),
          UNIQUE (owner_id, entity, name)
        )`,
        sql`CREATE INDEX ${sql.id('ix_user_view_entity')} ON ${sql.id(s, '_user_view')} (entity, shared)`,
        sql`CREATE TABLE ${sql.id(s, '_user_view_default')} (
          user_id uuid NOT NULL,
          entity text NOT NULL,
          view_id uuid NOT NULL REFERENCES ${sql.id(s, '_user_view')} (id) ON DELETE CASCADE,
          PRIMARY KEY (user_id, entity)
        )`,
        sql`CREATE TABLE ${sql.id(s, '_user_preference')} (
          user_id uuid NOT NULL,
          key text NOT NULL,
          value jsonb NOT NULL,
          updated_at timestamptz NOT NULL DEFAULT now(),
          PRIMARY KEY (user_id, key)
        )`,
      ],
    },
  ],
};
