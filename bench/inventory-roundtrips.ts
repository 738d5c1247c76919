/**
 * `npx tsx bench/inventory-roundtrips.ts`: statements one single-line posting sends (receipt, FIFO
 * issue, moving-average issue), counted on embedded PGlite; transaction begin/commit not included.
 * A machine-independent figure beside the throughput benchmarks.
 */
import type { Database } from '@tenon/db';
import { postStockMove, reserveStock } from '@tenon/inventory';
import { inventoryFixture } from '../modules/inventory/src/__tests__/harness.ts';

export async function countRoundTrips(): Promise<Record<string, number>> {
  const f = await inventoryFixture();
  let n = 0;
  const counted = (db: Database): Database =>
    new Proxy(db, {
      get(target, prop, receiver) {
        if (prop !== 'transaction') return Reflect.get(target, prop, receiver);
        return (fn: (tx: unknown) => Promise<unknown>, ...rest: unknown[]) =>
          (target.transaction as (...a: unknown[]) => Promise<unknown>)(
            (tx: { run: (...a: unknown[]) => unknown }) =>
              fn(
                new Proxy(tx, {
                  get(t, p, r) {
                    const v = Reflect.get(t, p, r);
                    if (p !== 'run' || typeof v !== 'function') return v;
                    return (...a: unknown[]) => {
                      n++;
                      return v.apply(t, a);
                    };
                  },
                }),
              ),
            ...rest,
          );
      },
    });
  const db = counted(f.s.db);
  const fifo = await f.item();
  const avg = await f.item({ valuation_method: 'moving_average' });
  const measure = async (key: string, input: Parameters<typeof postStockMove>[2]) => {
    n = 0;
    await postStockMove(db, f.schema, { ...input, idempotencyKey: key });
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
  n = 0;
  await reserveStock(db, f.schema, {
    item: fifo,
    warehouse: f.warehouse,
    quantity: '1',
    sourceType: 'bench',
    sourceId: '1',
    today: '2026-01-01',
  });
  out.reservation = n;
  await f.s.close();
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await countRoundTrips()));
