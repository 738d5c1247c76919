/**
 * A posting process SIGKILLed mid-burst (PostgreSQL only: PGlite cannot be reached from another
 * process): no half-posted move, every acknowledged posting present, the check clean; a restart
 * that retries every key posts each move exactly once.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { testDatabaseKind } from '@tenon/db/testing';
import { checkInventory } from '../index.ts';
import { type Fixture, inventoryFixture } from './harness.ts';

const TOTAL = 400;
const skip = testDatabaseKind() === 'pglite' ? 'needs PostgreSQL (a second process)' : false;

describe('SIGKILL during a posting burst', { skip }, () => {
  let f: Fixture;
  let item: string;
  before(async () => {
    f = await inventoryFixture();
    item = await f.item();
  });
  after(() => f.s.close());

  const run = () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('./post-child.ts', import.meta.url))],
      {
        env: {
          ...process.env,
          CHILD_SCHEMA: f.schema,
          CHILD_WAREHOUSE: f.warehouse,
          CHILD_ITEM: item,
          CHILD_BIN: f.bins[0],
          CHILD_TOTAL: String(TOTAL),
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const acked = new Set<string>();
    let buffer = '';
    child.stdout.on('data', (d) => {
      buffer += String(d);
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const l of lines) if (l.startsWith('ack ')) acked.add(l.slice(4));
    });
    return { child, acked };
  };
  const count = async (q: string, params: unknown[] = []) =>
    Number((await f.s.db.query<{ n: string }>(q, params)).rows[0]!.n);

  it('loses no acknowledged posting and half-posts nothing', async () => {
    const first = run();
    const end = Date.now() + 60_000;
    while (first.acked.size < TOTAL / 4) {
      if (Date.now() > end || first.child.exitCode !== null) throw new Error('the child did not post');
      await new Promise((r) => setTimeout(r, 10));
    }
    first.child.kill('SIGKILL');
    await once(first.child, 'exit');
    const postings = await count(`SELECT count(*)::text AS n FROM "${f.schema}".inv_posting`);
    const ledger = await count(`SELECT count(*)::text AS n FROM "${f.schema}".inv_ledger`);
    assert.ok(postings < TOTAL, `killed mid-burst (${postings} posted)`);
    assert.equal(ledger, postings, 'every posting has its ledger row, no more');
    const { rows } = await f.s.db.query<{ k: string }>(
      `SELECT idempotency_key AS k FROM "${f.schema}".inv_posting`,
    );
    const present = new Set(rows.map((r) => r.k));
    for (const key of first.acked) assert.ok(present.has(key), `acknowledged ${key} is present`);
    assert.deepEqual((await checkInventory(f.s.db, f.schema)).drift, []);

    const second = run();
    await once(second.child, 'exit');
    assert.equal(second.child.exitCode, 0);
    assert.equal(await count(`SELECT count(*)::text AS n FROM "${f.schema}".inv_ledger`), TOTAL);
    assert.equal(
      await count(`SELECT on_hand::text AS n FROM "${f.schema}".inv_stock WHERE item_id = $1`, [item]),
      TOTAL,
    );
    assert.deepEqual((await checkInventory(f.s.db, f.schema)).drift, []);
  });
});
