/**
 * Schema sync against the real database: random sequences of definition changes applied through
 * `applyDefinitions` to a table holding random records. Destructive plans are refused unless
 * confirmed (and a refusal changes nothing), accepted non-destructive changes keep every stored
 * value, and a dry run changes nothing and returns the plan that is then applied.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AppError, Decimal, fixedClock } from '@tenon/core';
import { type Database, sql, type Tenant } from '@tenon/db';
import { createTestTenant, openTestDatabase } from '@tenon/db/testing';
import fc from 'fast-check';
import { systemContext } from '../records/context.ts';
import { buildMetamodel } from '../registry.ts';
import {
  type ApplyOptions,
  type ApplyResult,
  applyDefinitions,
} from '../services/apply-definitions.service.ts';
import { createRecord } from '../services/create-record.service.ts';
import { loadDefinitions } from '../store/definition-store.ts';
import type { FieldDef } from '../types.ts';

type Gen = fc.GeneratorValue;
type Rows = Map<string, Record<string, unknown>>;

const KINDS = ['string', 'text', 'integer', 'decimal', 'boolean', 'date', 'select', 'json'] as const;
type Kind = (typeof KINDS)[number];
const OPTIONS = ['A', 'B', 'C'].map((value) => ({ value, label: { en: value } }));
const clock = fixedClock('2025-01-07T02:00:00Z');

let db: Database;
let tenant: Tenant;
let runs = 0;
const stats = { accepted: 0, refused: 0, confirmed: 0, syncFailed: 0, rows: 0 };

const metamodel = async () => buildMetamodel(tenant, await loadDefinitions(db, tenant.schemaName));

// ---- random definitions and values -------------------------------------------------------------

function newField(g: Gen, name: string, kind: Kind): FieldDef {
  const f: FieldDef = { name, label: { en: name }, kind };
  if (kind === 'string') f.maxLength = g(fc.constantFrom, 8, 40, 255);
  if (kind === 'decimal') {
    f.precision = g(fc.integer, { min: 4, max: 20 });
    f.scale = g(fc.integer, { min: 0, max: Math.min(4, f.precision - 1) });
  }
  if (kind === 'select') f.options = OPTIONS;
  return f;
}

const UNIT = fc.oneof(
  fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  fc.constantFrom('患', '者', 'é', '😀', ' ', "'", '"', '\\'),
);

function decimalValue(g: Gen, precision: number, scale: number): string {
  const intDigits = g(fc.integer, { min: 0, max: precision - scale });
  const digits = (n: number) => Array.from({ length: n }, () => g(fc.integer, { min: 0, max: 9 })).join('');
  const intPart = intDigits === 0 ? '0' : `${g(fc.integer, { min: 1, max: 9 })}${digits(intDigits - 1)}`;
  const fracDigits = g(fc.integer, { min: 0, max: scale });
  const frac = fracDigits === 0 ? '' : `.${digits(fracDigits)}`;
  return `${g(fc.boolean) ? '-' : ''}${intPart}${frac}`;
}

function randomValue(g: Gen, f: FieldDef): unknown {
  switch (f.kind) {
    case 'string':
      return g(fc.string, { unit: UNIT, maxLength: f.maxLength ?? 255 });
    case 'text':
      return g(fc.string, { unit: UNIT, maxLength: 300 });
    case 'integer':
      return g(fc.integer, { min: -1_000_000_000, max: 1_000_000_000 });
    case 'decimal':
      return decimalValue(g, f.precision ?? 18, f.scale ?? 6);
    case 'boolean':
      return g(fc.boolean);
    case 'date':
      return g(fc.date, { min: new Date('1900-01-01'), max: new Date('2100-12-31'), noInvalidDate: true })
        .toISOString()
        .slice(0, 10);
    case 'select':
      return g(fc.constantFrom, 'A', 'B', 'C');
    case 'json':
      return { n: g(fc.integer), tags: g(fc.array, fc.constantFrom('x', '标签'), { maxLength: 3 }) };
    default:
      throw new Error(`no values for ${f.kind}`);
  }
}

/** One representation per value, whatever the column type it is read from. */
function norm(f: FieldDef, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (f.kind === 'integer' || f.kind === 'decimal') return new Decimal(String(v)).toFixed();
  return v;
}

// ---- reading the database ----------------------------------------------------------------------

async function readRows(name: string, fields: FieldDef[]): Promise<Rows> {
  const { rows } = await db.run<Record<string, unknown>>(
    sql`SELECT * FROM ${sql.id(tenant.schemaName, name)} ORDER BY id`,
  );
  return new Map(
    rows.map((r) => [r.id as string, Object.fromEntries(fields.map((f) => [f.name, norm(f, r[f.name])]))]),
  );
}

/** Everything a refused or dry-run change must leave alone: definition, DDL and data. */
async function snapshot(name: string) {
  const stored = (await loadDefinitions(db, tenant.schemaName)).find((d) => d.def.name === name)!;
  const q = (text: string) => db.query(text, [tenant.schemaName, name]).then((r) => r.rows);
  return {
    version: stored.version,
    def: stored.def,
    history: await db.run(
      sql`SELECT version FROM ${sql.id(tenant.schemaName, '_meta_entity_history')} WHERE name = ${name} ORDER BY version`,
    ),
    columns: await q(
      `SELECT column_name, data_type, character_maximum_length, numeric_precision, numeric_scale, is_nullable
       FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY column_name`,
    ),
    indexes: await q(
      'SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = $2 ORDER BY indexname',
    ),
    rows: await db.run(sql`SELECT * FROM ${sql.id(tenant.schemaName, name)} ORDER BY id`).then((r) => r.rows),
  };
}

// ---- the model ---------------------------------------------------------------------------------

type State = { name: string; fields: FieldDef[]; next: number; version: number };

async function apply(state: State, fields: FieldDef[], options: Omit<ApplyOptions, 'mode'>) {
  return applyDefinitions(db, await metamodel(), [{ name: state.name, label: { en: state.name }, fields }], {
    mode: 'update',
    user: 'prop',
    ...options,
  });
}

async function insertRows(g: Gen, state: State, count: number): Promise<void> {
  const mm = await metamodel();
  const ctx = systemContext({ db, metamodel: mm, actor: { userId: null, username: 'prop' }, clock });
  for (let i = 0; i < count; i++) {
    const input: Record<string, unknown> = {};
    for (const f of state.fields) {
      if (f.unique) continue;
      if (f.required || g(fc.boolean)) input[f.name] = randomValue(g, f);
    }
    const created = await createRecord(ctx, mm.get(state.name), input);
    const [stored] = [...(await readRows(state.name, state.fields))].filter(([id]) => id === created.id);
    assert.ok(stored, 'the created record is in the table');
    for (const f of state.fields) assert.deepEqual(stored[1][f.name], norm(f, input[f.name] ?? f.default));
    stats.rows++;
  }
}

type Change = {
  fields: FieldDef[];
  /** What the stored values should become: before -> expected after. */
  expect?: (rows: Rows) => Rows;
  /** A field whose values a confirmed destructive change may alter. */
  touched?: string;
};

const mapRows = (rows: Rows, fn: (r: Record<string, unknown>) => Record<string, unknown>): Rows =>
  new Map([...rows].map(([id, r]) => [id, fn({ ...r })]));

const OPS = [
  'add',
  'rename',
  'widen',
  'decimal_up',
  'index',
  'optional',
  'remove',
  'narrow',
  'insert',
] as const;

/** Draws one change that applies to the current fields, or null when it does not fit. */
function drawChange(g: Gen, state: State, rows: Rows): Change | null {
  const op = g(fc.constantFrom, ...OPS);
  const pick = (ok: (f: FieldDef) => boolean) => {
    const candidates = state.fields.filter(ok);
    return candidates.length === 0 ? null : candidates[g(fc.nat, candidates.length - 1)]!;
  };
  const replace = (target: FieldDef, next: FieldDef) => state.fields.map((f) => (f === target ? next : f));
  switch (op) {
    case 'add': {
      const f = newField(g, `f${state.next++}`, g(fc.constantFrom, ...KINDS));
      const mode = g(fc.constantFrom, 'optional', 'default', 'required', 'unique');
      if (mode === 'default' || mode === 'required') f.default = randomValue(g, f);
      if (mode === 'required') f.required = true;
      if (mode === 'unique' && f.kind !== 'json') f.unique = true;
      const filled = norm(f, f.default);
      return { fields: [...state.fields, f], expect: (r) => mapRows(r, (x) => ({ ...x, [f.name]: filled })) };
    }
    case 'rename': {
      const from = pick(() => true);
      if (!from) return null;
      const to = { ...from, name: `r${state.next++}`, renamedFrom: from.name };
      return {
        fields: replace(from, to),
        expect: (r) =>
          mapRows(r, (x) => {
            x[to.name] = x[from.name];
            delete x[from.name];
            return x;
          }),
      };
    }
    case 'widen': {
      const f = pick((x) => x.kind === 'string');
      if (!f) return null;
      const wider: FieldDef = g(fc.boolean)
        ? { ...f, maxLength: (f.maxLength ?? 255) + g(fc.integer, { min: 1, max: 300 }) }
        : { ...withoutKey(f, 'maxLength'), kind: 'text' };
      return { fields: replace(f, wider), expect: (r) => r };
    }
    case 'decimal_up': {
      const f = pick((x) => x.kind === 'decimal' || x.kind === 'integer');
      if (!f) return null;
      if (f.kind === 'integer') {
        const scale = g(fc.integer, { min: 0, max: 19 });
        const decimal: FieldDef = { ...f, kind: 'decimal', precision: 38, scale };
        if (f.default !== undefined) decimal.default = String(f.default);
        return { fields: replace(f, decimal), expect: (r) => r };
      }
      const room = 38 - (f.precision ?? 18);
      if (room === 0) return null;
      const up = g(fc.integer, { min: 1, max: Math.min(10, room) });
      const scale = (f.scale ?? 6) + g(fc.integer, { min: 0, max: up });
      return { fields: replace(f, { ...f, precision: (f.precision ?? 18) + up, scale }), expect: (r) => r };
    }
    case 'index': {
      const f = pick((x) => !x.index && !x.unique && x.kind !== 'json');
      if (!f) return null;
      const values = [...rows.values()].map((r) => r[f.name]).filter((v) => v !== null);
      const distinct = new Set(values.map((v) => JSON.stringify(v))).size === values.length;
      const unique = !f.required && distinct && g(fc.boolean);
      return {
        fields: replace(f, unique ? { ...f, unique: true } : { ...f, index: true }),
        expect: (r) => r,
      };
    }
    case 'optional': {
      const f = pick((x) => x.required === true);
      if (!f) return null;
      return { fields: replace(f, { ...f, required: false }), expect: (r) => r };
    }
    case 'remove': {
      const f = pick(() => state.fields.length > 1);
      if (!f) return null;
      return { fields: state.fields.filter((x) => x !== f), touched: f.name };
    }
    case 'narrow': {
      const f = pick((x) => x.kind === 'string' || x.kind === 'text' || x.kind === 'decimal');
      if (!f || (f.kind === 'decimal' && (f.precision ?? 18) <= 2)) return null;
      const narrower: FieldDef =
        f.kind === 'decimal'
          ? g(fc.boolean) && (f.scale ?? 6) > 0
            ? { ...f, scale: (f.scale ?? 6) - 1 }
            : {
                ...f,
                precision: (f.precision ?? 18) - 1,
                scale: Math.min(f.scale ?? 6, (f.precision ?? 18) - 2),
              }
          : { ...f, kind: 'string', maxLength: g(fc.integer, { min: 1, max: 6 }) };
      if (narrower.kind === 'string' && f.kind === 'string' && narrower.maxLength! >= f.maxLength!)
        return null;
      // a default that no longer fits would make the definition invalid
      delete narrower.default;
      return { fields: replace(f, narrower), touched: f.name };
    }
    default:
      return null;
  }
}

function withoutKey(f: FieldDef, key: keyof FieldDef): FieldDef {
  const { [key]: _, ...rest } = f;
  return rest as FieldDef;
}

const stripRenames = (fields: FieldDef[]) => fields.map(({ renamedFrom: _, ...f }) => f);

async function step(g: Gen, state: State): Promise<void> {
  const rows = await readRows(state.name, state.fields);
  const change = drawChange(g, state, rows);
  if (!change) return insertRows(g, state, g(fc.integer, { min: 1, max: 2 }));

  // (c) a dry run changes nothing and returns the plan
  const before = await snapshot(state.name);
  const dry = await apply(state, change.fields, { dryRun: true });
  assert.equal(dry.applied, false);
  assert.deepEqual(await snapshot(state.name), before, 'a dry run changed something');
  const destructive = dry.plan.some((p) => p.destructive);
  assert.equal(destructive, change.expect === undefined, `plan: ${JSON.stringify(dry.plan)}`);

  let result: ApplyResult;
  if (destructive) {
    // (a) refused without confirmation, and nothing changed
    await assert.rejects(apply(state, change.fields, {}), (err: unknown) => {
      assert.ok(err instanceof AppError);
      assert.equal(err.code, 'META_DESTRUCTIVE_CHANGE');
      assert.equal(err.status, 409);
      assert.ok(err.details.length > 0 && err.details.every((d) => d.field === state.name));
      return true;
    });
    assert.deepEqual(await snapshot(state.name), before, 'a refused change changed something');
    stats.refused++;
    if (!g(fc.boolean)) return;
    try {
      result = await apply(state, change.fields, { confirm: true });
    } catch (err) {
      // a confirmed narrowing the data does not fit into fails as a whole
      assert.ok(err instanceof AppError && err.code === 'META_SCHEMA_SYNC_FAILED', String(err));
      assert.deepEqual(await snapshot(state.name), before, 'a failed change left something behind');
      stats.syncFailed++;
      return;
    }
    stats.confirmed++;
  } else {
    result = await apply(state, change.fields, {});
    stats.accepted++;
  }

  assert.equal(result.applied, true);
  assert.deepEqual(result.plan, dry.plan, 'the applied plan differs from the dry run');
  state.version++;
  assert.deepEqual(result.entities, [{ name: state.name, version: state.version, changed: true }]);
  state.fields = stripRenames(change.fields);
  const now = await readRows(state.name, state.fields);
  if (change.expect) {
    // (b) every value is still there, equal, under its current name
    assert.deepEqual(now, change.expect(rows));
  } else {
    assert.deepEqual([...now.keys()], [...rows.keys()], 'rows disappeared');
    for (const [id, r] of now) {
      for (const f of state.fields) {
        if (f.name !== change.touched) assert.deepEqual(r[f.name], rows.get(id)![f.name], `${id}.${f.name}`);
      }
    }
  }
}

describe('schema sync on a table with data (property)', () => {
  before(async () => {
    db = await openTestDatabase();
    tenant = await createTestTenant(db);
  });
  after(() => db.close());

  it('refuses unconfirmed destructive plans, keeps data through safe ones, dry-runs without effect', async () => {
    await fc.assert(
      fc.asyncProperty(fc.gen(), async (g) => {
        const state: State = { name: `p${++runs}`, fields: [], next: 0, version: 1 };
        const count = g(fc.integer, { min: 1, max: 4 });
        for (let i = 0; i < count; i++)
          state.fields.push(newField(g, `f${state.next++}`, g(fc.constantFrom, ...KINDS)));
        const initial = { name: state.name, label: { en: state.name }, fields: state.fields };
        await applyDefinitions(db, await metamodel(), [initial], { mode: 'create' });
        await insertRows(g, state, g(fc.integer, { min: 1, max: 5 }));
        const steps = g(fc.integer, { min: 3, max: 8 });
        for (let i = 0; i < steps; i++) await step(g, state);
        const stored = (await loadDefinitions(db, tenant.schemaName)).find((d) => d.def.name === state.name)!;
        assert.equal(stored.version, state.version);
        assert.deepEqual(stored.def.fields, state.fields);
      }),
      { numRuns: 22, endOnFailure: true, includeErrorInReport: true },
    );
    // the random walk really exercised each path
    assert.ok(stats.accepted > 10 && stats.refused > 3 && stats.confirmed > 0, JSON.stringify(stats));
  });
});
