/**
 * applyDefinitions on a table with data: changes planned from a stale metamodel, defaults that fill
 * existing rows, and changes that cannot be applied. Each refusal leaves everything as it was.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AppError, fixedClock } from '@tenon/core';
import { type Database, sql, type Tenant } from '@tenon/db';
import { createTestTenant, openTestDatabase } from '@tenon/db/testing';
import { systemContext } from '../records/context.ts';
import { buildMetamodel } from '../registry.ts';
import { applyDefinitions } from '../services/apply-definitions.service.ts';
import { createRecord } from '../services/create-record.service.ts';
import { definitionHistory, loadDefinitions } from '../store/definition-store.ts';
import type { FieldDef } from '../types.ts';

const f = (name: string, kind: FieldDef['kind'] = 'string', extra: Partial<FieldDef> = {}): FieldDef => ({
  name,
  label: { en: name },
  kind,
  ...extra,
});

const actor = (username: string) => ({ userId: null, username });

describe('applyDefinitions against stored data', () => {
  let db: Database;
  let tenant: Tenant;
  const metamodel = async () => buildMetamodel(tenant, await loadDefinitions(db, tenant.schemaName));
  const update = async (name: string, fields: FieldDef[], mm?: Awaited<ReturnType<typeof metamodel>>) =>
    applyDefinitions(db, mm ?? (await metamodel()), [{ name, fields }], { mode: 'update', user: 'ann' });
  const state = async (name: string) => ({
    definitions: (await loadDefinitions(db, tenant.schemaName)).filter((d) => d.def.name === name),
    history: (await definitionHistory(db, tenant.schemaName, name)).map((h) => h.version),
    columns: (
      await db.query<{ column_name: string }>(
        'SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY 1',
        [tenant.schemaName, name],
      )
    ).rows.map((r) => r.column_name),
    rows: (await db.run(sql`SELECT * FROM ${sql.id(tenant.schemaName, name)} ORDER BY id`)).rows,
  });
  const isSyncFailure = (pattern: RegExp) => (err: unknown) => {
    assert.ok(err instanceof AppError, String(err));
    assert.equal(err.code, 'META_SCHEMA_SYNC_FAILED');
    assert.equal(err.status, 409);
    assert.match(err.message, pattern);
    return true;
  };

  async function entityWithRows(name: string, values: string[]): Promise<void> {
    await applyDefinitions(db, await metamodel(), [{ name, label: { en: name }, fields: [f('a')] }], {
      mode: 'create',
    });
    const mm = await metamodel();
    const ctx = systemContext({
      db,
      metamodel: mm,
      actor: actor('ann'),
      clock: fixedClock('2025-01-07T20:00:00Z'),
    });
    for (const a of values) await createRecord(ctx, mm.get(name), { a });
  }

  before(async () => {
    db = await openTestDatabase();
    tenant = await createTestTenant(db);
  });
  after(() => db.close());

  it('refuses a change planned from a stale metamodel with 409, not a 500, and applies nothing', async () => {
    await entityWithRows('stale', ['one']);
    const stale = await metamodel();
    await update('stale', [f('a'), f('x')], stale);
    const before = await state('stale');
    await assert.rejects(
      update('stale', [f('a'), f('y')], stale),
      isSyncFailure(/stale was changed meanwhile/),
    );
    assert.deepEqual(await state('stale'), before);
    assert.deepEqual(before.history, [2, 1]);
    // with a fresh metamodel the same change goes through
    const result = await update('stale', [f('a'), f('x'), f('y')]);
    assert.deepEqual(result.entities, [{ name: 'stale', version: 3, changed: true }]);
  });

  it('lets exactly one of two concurrent changes from the same version win', async () => {
    await entityWithRows('race', ['one']);
    const mm = await metamodel();
    const outcomes = await Promise.allSettled([
      update('race', [f('a'), f('x')], mm),
      update('race', [f('a'), f('y')], mm),
    ]);
    assert.deepEqual(outcomes.map((o) => o.status).sort(), ['fulfilled', 'rejected']);
    const lost = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    isSyncFailure(/race was changed meanwhile/)(lost.reason);
    const now = await state('race');
    assert.equal(now.definitions[0]!.version, 2);
    assert.deepEqual(now.history, [2, 1]);
    const winner = now.definitions[0]!.def.fields.map((x) => x.name);
    assert.ok(winner.join() === 'a,x' || winner.join() === 'a,y', winner.join());
    assert.deepEqual(
      now.columns.filter((c) => ['a', 'x', 'y'].includes(c)),
      winner,
    );
  });

  it('fills existing rows from a default, but never with the literal "$user"', async () => {
    await entityWithRows('filled', ['one', 'two']);
    await update('filled', [
      f('a'),
      f('level', 'select', { required: true, default: 'B', options: [{ value: 'B', label: { en: 'B' } }] }),
      f('n', 'integer', { default: 7 }),
      f('owner', 'string', { default: '$user' }),
    ]);
    const { rows } = await state('filled');
    assert.deepEqual(
      rows.map((r) => [r.a, r.level, r.n, r.owner]),
      [
        ['one', 'B', '7', null],
        ['two', 'B', '7', null],
      ],
    );
    // new records get the writing user
    const mm = await metamodel();
    const ctx = systemContext({
      db,
      metamodel: mm,
      actor: actor('bob'),
      clock: fixedClock('2025-01-07T00:00:00Z'),
    });
    const created = await createRecord(ctx, mm.get('filled'), { a: 'three' });
    assert.equal(created.owner, 'bob');
  });

  it('refuses a required column without a default on a table with rows, and changes nothing', async () => {
    await entityWithRows('strict', ['one']);
    const before = await state('strict');
    await assert.rejects(
      update('strict', [f('a'), f('b', 'string', { required: true })]),
      isSyncFailure(/null/),
    );
    assert.deepEqual(await state('strict'), before);
  });

  it('refuses a confirmed narrowing the data does not fit, and changes nothing', async () => {
    await applyDefinitions(
      db,
      await metamodel(),
      [
        {
          name: 'amounts',
          label: { en: 'amounts' },
          fields: [f('v', 'decimal', { precision: 8, scale: 2 })],
        },
      ],
      { mode: 'create' },
    );
    const mm = await metamodel();
    const ctx = systemContext({ db, metamodel: mm, clock: fixedClock('2025-01-07T00:00:00Z') });
    await createRecord(ctx, mm.get('amounts'), { v: '123456.78' });
    const before = await state('amounts');
    const narrower = [f('v', 'decimal', { precision: 6, scale: 2 })];
    await assert.rejects(update('amounts', narrower), { code: 'META_DESTRUCTIVE_CHANGE' });
    await assert.rejects(
      applyDefinitions(db, await metamodel(), [{ name: 'amounts', fields: narrower }], {
        mode: 'update',
        confirm: true,
      }),
      isSyncFailure(/overflow/),
    );
    assert.deepEqual(await state('amounts'), before);
  });
});
