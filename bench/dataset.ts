/**
 * The data set: the bench entities defined through `applyDefinitions` (as the meta API does), then
 * 1,000 customers and 1,000,000 orders bulk-loaded by SQL. A loaded data set is reused by later runs;
 * rows created over HTTP by an earlier run are removed first.
 */
import type { Executor, RawBuilder, Tenant } from '@tenon/db';
import { sql } from '@tenon/db';
import { applyDefinitions } from '@tenon/design';
import type { System } from '../apps/tenon/src/boot.ts';
import { benchDefinitions, CUSTOMER, ORDER } from './entities.ts';

export const ORDER_ROWS = 1_000_000;
export const CUSTOMER_ROWS = 1_000;
const BATCH = 250_000;
/** `created_by` of bulk-loaded rows; rows created over HTTP have none. */
const LOADER = 'bench-load';

export type Dataset = {
  mode: 'loaded' | 'reused';
  seconds: number;
  /** Rows created over HTTP by earlier runs, removed before this one. */
  removed: number;
  orderIds: string[];
  customerIds: string[];
};

/** A UUIDv7-shaped id whose 48-bit time prefix is the given timestamptz (PostgreSQL 15 has no uuidv7()). */
function uuidV7At(ts: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
    placing substring(int8send(floor(extract(epoch FROM ${ts}) * 1000)::bigint) FROM 3) FROM 1 FOR 6),
    52, 1), 53, 1), 'hex')::uuid`;
}

async function count(db: Executor, schema: string, table: string, where = sql`TRUE`): Promise<number> {
  const { rows } = await db.run<{ n: number }>(
    sql`SELECT count(*)::int AS n FROM ${sql.id(schema, table)} WHERE ${where}`,
  );
  return rows[0]!.n;
}

async function loadCustomers(db: Executor, schema: string): Promise<void> {
  const ts = sql.ref('g.ts');
  await db.run(sql`
    INSERT INTO ${sql.id(schema, CUSTOMER)}
      (id, created_at, updated_at, created_by, updated_by, version, name, email)
    SELECT ${uuidV7At(ts)}, g.ts, g.ts, ${LOADER}, ${LOADER}, 1,
           'Customer ' || lpad(g.i::text, 4, '0'), 'customer' || g.i || '@example.com'
    FROM (SELECT i, timestamptz '2022-06-01T00:00:00Z' + i * interval '1 hour' AS ts
          FROM generate_series(1, ${CUSTOMER_ROWS}::int) AS i) AS g`);
}

/** Orders `from..to`: one per minute from 2023-01-01, statuses in rotation (a quarter are open). */
async function loadOrders(db: Executor, schema: string, from: number, to: number): Promise<void> {
  const ts = sql.ref('g.ts');
  await db.run(sql`
    INSERT INTO ${sql.id(schema, ORDER)}
      (id, created_at, updated_at, created_by, updated_by, version, number, title, notes, line_count,
       weight, amount, qty, is_priority, due_date, placed_at, status, customer, attributes, email,
       discount_rate)
    SELECT ${uuidV7At(ts)}, g.ts, g.ts, ${LOADER}, ${LOADER}, 1,
           'BN-' || lpad(g.i::text, 7, '0'),
           'Order ' || g.i,
           'Bench order ' || g.i || ' ' || md5(g.i::text),
           g.i % 20 + 1,
           round((g.i % 100000) / 97.0, 3),
           round(((g.i::bigint * 7919) % 1000000) / 100.0, 2),
           g.i % 500 + 1,
           g.i % 10 = 0,
           (g.ts + interval '30 days')::date,
           g.ts - (g.i % 120) * interval '1 minute',
           (ARRAY['open', 'closed', 'cancelled', 'draft'])[g.i % 4 + 1],
           c.ids[g.i % cardinality(c.ids) + 1],
           jsonb_build_object('channel', (ARRAY['web', 'store', 'phone'])[g.i % 3 + 1], 'priority', g.i % 5),
           'buyer' || g.i || '@example.com',
           round((g.i % 30) / 100.0, 4)
    FROM (SELECT i, timestamptz '2023-01-01T00:00:00Z' + i * interval '1 minute' AS ts
          FROM generate_series(${from}::int, ${to}::int) AS i) AS g,
         (SELECT array_agg(id ORDER BY name) AS ids FROM ${sql.id(schema, CUSTOMER)}) AS c`);
}

/** Numbers continue after the loaded ones, so creates never collide with BN-0000001..BN-1000000. */
async function resetNumbering(db: Executor, schema: string): Promise<void> {
  await db.run(sql`
    INSERT INTO ${sql.id(schema, '_sequence')} (series, period, value)
    VALUES (${`${ORDER}.number`}, '', ${ORDER_ROWS})
    ON CONFLICT (series, period) DO UPDATE SET value = EXCLUDED.value`);
}

/** Removes the rows created over HTTP (by this or an earlier run) and resets the numbering. */
export async function removeCreatedRows(system: System, tenant: Tenant): Promise<number> {
  const schema = tenant.schemaName;
  const { rowCount } = await system.db.run(
    sql`DELETE FROM ${sql.id(schema, ORDER)} WHERE created_by IS DISTINCT FROM ${LOADER}`,
  );
  await resetNumbering(system.db, schema);
  return rowCount;
}

/**
 * VACUUM as well as ANALYZE: sets hint bits and the visibility map and clears the index entries of
 * removed rows now, rather than during the next measured run.
 */
export async function vacuum(system: System, tenant: Tenant): Promise<void> {
  const schema = tenant.schemaName;
  await system.db.run(sql`VACUUM (ANALYZE) ${sql.id(schema, CUSTOMER)}, ${sql.id(schema, ORDER)}`);
}

/**
 * Applies the definitions when their tables are missing or differ (a dry run plans the DDL first), so
 * a run over loaded data writes no definition version. (Until applyDefinitions compared definitions
 * by canonical JSON, re-applying identical ones stored a new version each time: jsonb reorders keys.)
 * Returns true when existing tables changed, so the loaded rows may no longer fit.
 */
async function defineEntities(system: System, tenant: Tenant): Promise<boolean> {
  const metamodel = await system.metamodels.forTenant(tenant);
  const options = { mode: 'upsert', source: 'user' } as const;
  const existing = [CUSTOMER, ORDER].filter((name) => metamodel.find(name) !== undefined);
  const plan = await applyDefinitions(system.db, metamodel, benchDefinitions, { ...options, dryRun: true });
  if (existing.length === 2 && plan.plan.length === 0) return false;
  const result = await applyDefinitions(system.db, metamodel, benchDefinitions, options);
  if (result.applied) system.metamodels.invalidate(tenant.name);
  return existing.length > 0;
}

async function load(system: System, schema: string, log: (line: string) => void): Promise<void> {
  await system.db.run(sql`TRUNCATE ${sql.id(schema, ORDER)}, ${sql.id(schema, CUSTOMER)}`);
  await system.db.transaction((tx) => loadCustomers(tx, schema));
  for (let from = 1; from <= ORDER_ROWS; from += BATCH) {
    const to = Math.min(from + BATCH - 1, ORDER_ROWS);
    const started = performance.now();
    await system.db.transaction((tx) => loadOrders(tx, schema, from, to));
    log(`  orders ${from.toLocaleString('en')}..${to.toLocaleString('en')} in ${seconds(started)} s`);
  }
}

const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);

export async function prepareDataset(
  system: System,
  tenant: Tenant,
  log: (line: string) => void,
): Promise<Dataset> {
  const started = performance.now();
  const schema = tenant.schemaName;
  const redefined = await defineEntities(system, tenant);
  const removed = await removeCreatedRows(system, tenant);
  const loaded = await count(system.db, schema, ORDER);
  const customers = await count(system.db, schema, CUSTOMER);
  const reuse = !redefined && loaded === ORDER_ROWS && customers === CUSTOMER_ROWS;
  if (reuse) {
    log(`reusing the loaded data set: ${loaded.toLocaleString('en')} orders, ${customers} customers`);
    if (removed > 0) log(`  removed ${removed.toLocaleString('en')} orders created by an earlier run`);
  } else {
    log(`loading ${ORDER_ROWS.toLocaleString('en')} orders and ${CUSTOMER_ROWS} customers by SQL bulk load`);
    await load(system, schema, log);
    await resetNumbering(system.db, schema);
  }
  if (!reuse || removed > 0) {
    const vacuumStarted = performance.now();
    await vacuum(system, tenant);
    log(`  VACUUM ANALYZE in ${seconds(vacuumStarted)} s`);
  }
  const { rows: sample } = await system.db.run<{ id: string }>(
    sql`SELECT id FROM ${sql.id(schema, ORDER)} TABLESAMPLE BERNOULLI (0.4) REPEATABLE (7)`,
  );
  const { rows: customerRows } = await system.db.run<{ id: string }>(
    sql`SELECT id FROM ${sql.id(schema, CUSTOMER)} ORDER BY name`,
  );
  return {
    mode: reuse ? 'reused' : 'loaded',
    seconds: Number(seconds(started)),
    removed,
    orderIds: sample.map((r) => r.id),
    customerIds: customerRows.map((r) => r.id),
  };
}
