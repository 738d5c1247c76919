/** A posting client for the kill test: posts receipts `burst-<i>` and prints each key once committed. */
import { openPostgres } from '@tenon/db';
import { postStockMove } from '../index.ts';

const db = await openPostgres({ connectionString: process.env.TEST_DATABASE_URL!, max: 4 });
const [schema, warehouse, item, bin] = [
  process.env.CHILD_SCHEMA!,
  process.env.CHILD_WAREHOUSE!,
  process.env.CHILD_ITEM!,
  process.env.CHILD_BIN!,
];
const total = Number(process.env.CHILD_TOTAL);
let next = 0;
async function worker() {
  while (next < total) {
    const i = next++;
    await postStockMove(db, schema, {
      idempotencyKey: `burst-${i}`,
      moveType: 'receipt',
      warehouse,
      postingDate: '2026-03-01',
      lines: [{ item, toLocation: bin, quantity: '1', unitCost: '2.50' }],
    });
    process.stdout.write(`ack burst-${i}\n`);
  }
}
await Promise.all([worker(), worker(), worker(), worker()]);
await db.close();
process.stdout.write('done\n');
