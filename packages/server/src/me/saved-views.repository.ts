/** SQL of saved views and default views (tenant tables of `me.migrations.ts`). */
import { newId } from '@tenon/core';
import { type Executor, sql } from '@tenon/db';
import type { ViewState } from './view-state.ts';

export type SavedView = {
  id: string;
  entity: string;
  name: string;
  shared: boolean;
  ownerId: string;
  ownerName: string;
  state: ViewState;
  version: number;
  isDefault: boolean;
  updatedAt: string;
};

type Row = {
  id: string;
  entity: string;
  name: string;
  shared: boolean;
  owner_id: string;
  owner_name: string;
  state: ViewState;
  version: number;
  is_default: boolean;
  updated_at: Date | string;
};

const toView = (r: Row): SavedView => ({
  id: r.id,
  entity: r.entity,
  name: r.name,
  shared: r.shared,
  ownerId: r.owner_id,
  ownerName: r.owner_name,
  state: r.state,
  version: r.version,
  isDefault: r.is_default,
  updatedAt: new Date(r.updated_at).toISOString(),
});

const view = (schema: string) => sql.id(schema, '_user_view');
const defaults = (schema: string) => sql.id(schema, '_user_view_default');

const columns = (schema: string, userId: string) => sql`v.id, v.entity, v.name, v.shared, v.owner_id,
  v.owner_name, v.state, v.version, v.updated_at,
  EXISTS (SELECT 1 FROM ${defaults(schema)} d WHERE d.user_id = ${userId} AND d.view_id = v.id) AS is_default`;

/** The user's own views of an entity and the ones shared with the tenant, by name. */
export async function listViews(db: Executor, schema: string, userId: string, entity: string) {
  const { rows } = await db.run<Row>(sql`SELECT ${columns(schema, userId)} FROM ${view(schema)} v
    WHERE v.entity = ${entity} AND (v.owner_id = ${userId} OR v.shared) ORDER BY v.name, v.id`);
  return rows.map(toView);
}

/** A view the user may see (theirs or shared), or null: someone else's private view is not found. */
export async function findVisibleView(
  db: Executor,
  schema: string,
  userId: string,
  id: string,
  lock = false,
): Promise<SavedView | null> {
  const { rows } = await db.run<Row>(sql`SELECT ${columns(schema, userId)} FROM ${view(schema)} v
    WHERE v.id = ${id} AND (v.owner_id = ${userId} OR v.shared)${lock ? sql` FOR UPDATE` : sql``}`);
  return rows[0] ? toView(rows[0]) : null;
}

export async function insertView(
  db: Executor,
  schema: string,
  input: {
    ownerId: string;
    ownerName: string;
    entity: string;
    name: string;
    shared: boolean;
    state: ViewState;
  },
): Promise<string | null> {
  const id = newId();
  const { rows } = await db.run<{ id: string }>(sql`INSERT INTO ${view(schema)}
      (id, owner_id, owner_name, entity, name, shared, state)
    VALUES (${id}, ${input.ownerId}, ${input.ownerName}, ${input.entity}, ${input.name}, ${input.shared},
      ${JSON.stringify(input.state)}::jsonb)
    ON CONFLICT (owner_id, entity, name) DO NOTHING RETURNING id`);
  return rows[0]?.id ?? null;
}

/** False when the new name is already one of the owner's views of the entity. */
export async function updateView(
  db: Executor,
  schema: string,
  input: { id: string; name: string; shared: boolean; state: ViewState },
): Promise<boolean> {
  const { rows } = await db.run<{ id: string }>(sql`UPDATE ${view(schema)} v
    SET name = ${input.name}, shared = ${input.shared}, state = ${JSON.stringify(input.state)}::jsonb,
      version = v.version + 1, updated_at = now()
    WHERE v.id = ${input.id} AND NOT EXISTS (SELECT 1 FROM ${view(schema)} o WHERE o.owner_id = v.owner_id
      AND o.entity = v.entity AND o.name = ${input.name} AND o.id <> v.id)
    RETURNING v.id`);
  return rows.length === 1;
}

export async function deleteView(db: Executor, schema: string, id: string): Promise<void> {
  await db.run(sql`DELETE FROM ${view(schema)} WHERE id = ${id}`);
}

/** Makes the view the user's default for its entity (or clears the default when it was this one). */
export async function setDefaultView(
  db: Executor,
  schema: string,
  input: { userId: string; entity: string; viewId: string; isDefault: boolean },
): Promise<void> {
  if (input.isDefault) {
    await db.run(sql`INSERT INTO ${defaults(schema)} (user_id, entity, view_id)
      VALUES (${input.userId}, ${input.entity}, ${input.viewId})
      ON CONFLICT (user_id, entity) DO UPDATE SET view_id = excluded.view_id`);
  } else {
    await db.run(sql`DELETE FROM ${defaults(schema)}
      WHERE user_id = ${input.userId} AND entity = ${input.entity} AND view_id = ${input.viewId}`);
  }
}
