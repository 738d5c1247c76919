/**
 * `npx tsx bench/inventory-roundtrips.ts`: round trips one single-line posting (receipt, FIFO issue,
 * moving-average issue) and one reservation send, counted on embedded PGlite by the database's
 * statement counter: BEGIN and COMMIT included. A machine-independent figure beside the
 * throughput benchmarks.
 */
import type { Database } from '@tenon/db';
import { postStockMove, reserveStock } from '@tenon/inventory';
import { inventoryFixture } from '../modules/inventory/src/__tests__/harness.ts';

export async function countRoundTrips(): Promise<Record<string, number>> {
  const f = await inventoryFixture();
  const db: Database = f.s.db;
  let n = 0;
  let from = 0;
  const start = () => {
    from = db.statementCount();
  };
  const stop = () => {
    n = db.statementCount() - from;
  };
  const fifo = await f.item();
  const avg = await f.item({ valuation_method: 'moving_average' });
  const measure = async (key: string, input: Parameters<typeof postStockMove>[2]) => {
    start();
    await postStockMove(db, f.schema, { ...input, idempotencyKey: key });
    stop();
    return n;
  };
  const base = { warehouse: f.warehouse, postingDate: '2026-01-01' } as const;
  const out: Record<string, number> = {};
  for (const [name, item] of [
    ['fifo', fifo],
    ['moving_average', avg],
  ] as const) {
    await measure(`${name}-r0`, {
      ...base,
      moveType: 'receipt',
      idempotencyKey: '',
      lines: [{ item, toLocation: f.bins[0]!, quantity: '5', unitCost: '1' }],
    });
    out[`receipt (${name})`] = await measure(`${name}-r1`, {
      ...base,
      moveType: 'receipt',
      idempotencyKey: '',
      lines: [{ item, toLocation: f.bins[0]!, quantity: '5', unitCost: '1' }],
    });
    out[`issue (${name})`] = await measure(`${name}-i1`, {
      ...base,
      moveType: 'issue',
      idempotencyKey: '',
      lines: [{ item, fromLocation: f.bins[0]!, quantity: '2' }],
    });
  }
  start();
  await reserveStock(db, f.schema, {
    item: fifo,
    warehouse: f.warehouse,
    quantity: '1',
    sourceType: 'bench',
    sourceId: '1',
    today: '2026-01-01',
  });
  stop();
  out.reservation = n;
  await f.s.close();
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await countRoundTrips()));
