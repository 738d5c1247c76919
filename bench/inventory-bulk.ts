/**
 * `npx tsx bench/inventory-bulk.ts`: bulk import of single-line receipts and issues on PostgreSQL
 * beside pgbench's TPC-B-like baseline taken in the same run, the stock balance report over the
 * whole imported ledger, then a back-dated receipt before 10,000 later entries of one item (its
 * revaluation), and the consistency check. The import's rate is also shown beside PostgreSQL's own
 * rate for writing the same rows again without any client work (inventory-floor.ts).
 *
 *   BENCH_DATABASE_URL    default postgres://postgres@127.0.0.1:5432/tenon_bench
 *   INV_BULK_MOVES        moves to import (default 1000000)
 *   INV_BULK_BATCH        moves per batch (default 5000, bulkPostMoves' default)
 *   INV_BENCH_SECONDS     pgbench seconds (default 10)
 */
import {
  type BulkMove,
  bulkPostMoves,
  checkInventory,
  postStockMove,
  stockBalanceAsOf,
} from '@tenon/inventory';
import { meterCpu } from './cpu.ts';
import { benchDatabaseUrl, databaseName, ensureDatabase, serverInfo } from './database.ts';
import { ledgerWriteFloor } from './inventory-floor.ts';
import { inventoryBenchData } from './inventory-setup.ts';
import { runPgbench } from './pgbench.ts';

const log = (line: string) => console.error(line);
const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

function moves(k: {
  items: string[];
  bins: string[];
  warehouse: string;
  n: number;
  prefix: string;
  date: (i: number) => string;
}): BulkMove[] {
  return Array.from({ length: k.n }, (_, i) => {
    const receipt = i % 4 !== 3;
    const slot = (receipt ? i : i - 1) % k.items.length;
    const item = k.items[slot]!;
    const bin = k.bins[slot % k.bins.length]!;
    return {
      idempotencyKey: `${k.prefix}-${i}`,
      moveType: receipt ? 'receipt' : 'issue',
      warehouse: k.warehouse,
      postingDate: k.date(i),
      lines: [
        receipt
          ? { item, toLocation: bin, quantity: '2', unitCost: '1.25' }
          : { item, fromLocation: bin, quantity: '1' },
      ],
    };
  });
}

export async function runInventoryBulkBench(): Promise<void> {
  const url = benchDatabaseUrl();
  await ensureDatabase(url);
  const total = num('INV_BULK_MOVES', 1_000_000);
  const batchSize = num('INV_BULK_BATCH', 5000);
  const info = await serverInfo(url);
  log(`PostgreSQL ${info.version}; ${total} moves in batches of ${batchSize}`);
  const pg = await runPgbench(url, { clients: 8, threads: 2, seconds: num('INV_BENCH_SECONDS', 10) }, log);
  log(`pgbench TPC-B-like, 8 clients: ${pg.tps.toFixed(0)} tps`);
  const data = await inventoryBenchData(url, { bins: 50, items: 1000, pool: 4 });
  const { db, schema, warehouse, bins, items } = data;

  // 1. Bulk import, one client, in slices so the input never holds a million objects at once.
  const slice = 100_000;
  let posted = 0;
  let seconds = 0;
  const meter = meterCpu(databaseName(url), { pollMs: 1000 });
  for (let start = 0; start < total; start += slice) {
    const input = moves({
      items,
      bins,
      warehouse,
      n: Math.min(slice, total - start),
      prefix: `bulk${start}`,
      date: () => '2026-01-01',
    });
    const t0 = performance.now();
    posted += (await bulkPostMoves(db, schema, { moves: input, batchSize })).posted;
    seconds += (performance.now() - t0) / 1000;
  }
  const bulkRate = posted / seconds;
  const cpu = meter.stop(posted);
  log(
    `bulk import: ${posted} moves in ${seconds.toFixed(1)} s = ${bulkRate.toFixed(0)} moves/s (goal >= 50,000; pgbench ${pg.tps.toFixed(0)} tps); CPU per move: Tenon ${cpu.tenonUs?.toFixed(0) ?? '?'} µs, PostgreSQL ${cpu.postgresUs?.toFixed(0) ?? '?'} µs; other load ${cpu.otherCores?.toFixed(2) ?? '?'} cores`,
  );

  // 1b. The floor: PostgreSQL alone writing again the rows of (up to) 200,000 of these moves.
  const floor = await ledgerWriteFloor(db, schema, Math.min(posted, 200_000));
  log(
    `floor: PostgreSQL alone writes the idempotency, ledger and layer rows of ${floor.moves} of these moves at ${floor.movesPerSecond.toFixed(0)} moves/s (one INSERT … SELECT per table); the import runs at ${((100 * bulkRate) / floor.movesPerSecond).toFixed(0)}% of it`,
  );

  // 2. The stock balance report over the whole ledger just imported.
  const r0 = performance.now();
  const balances = await stockBalanceAsOf(db, schema, { asOf: '2026-12-31' });
  const reportMs = performance.now() - r0;
  log(
    `balance report over ${posted} moves: ${reportMs.toFixed(0)} ms, ${balances.length} rows (goal < 1,000 ms; pgbench ${pg.tps.toFixed(0)} tps)`,
  );

  // 3. One item with 10,000 entries dated after a back-dated receipt.
  const hot = await data.make('item', { name: 'Back-dated', base_uom: data.uom });
  const later = moves({
    items: [hot],
    bins: [bins[0]!],
    warehouse,
    n: 10_000,
    prefix: 'later',
    date: (i) => (i < 5000 ? '2026-02-01' : '2026-03-01'),
  });
  await bulkPostMoves(db, schema, { moves: later, batchSize });
  const t1 = performance.now();
  await postStockMove(db, schema, {
    idempotencyKey: 'back-dated',
    moveType: 'receipt',
    warehouse,
    postingDate: '2026-01-15',
    lines: [{ item: hot, toLocation: bins[0]!, quantity: '100', unitCost: '0.75' }],
  });
  const backMs = performance.now() - t1;
  log(
    `back-dated receipt before 10,000 later entries, revaluation included: ${backMs.toFixed(0)} ms (goal < 1,000 ms; pgbench ${pg.tps.toFixed(0)} tps)`,
  );

  const check = await checkInventory(db, schema);
  log(`consistency check: ${check.drift.length} drift over ${check.checked} balances`);
  console.log(
    JSON.stringify({
      pgbenchTps: pg.tps,
      moves: posted,
      batchSize,
      bulkRate,
      bulkCpu: cpu,
      floorRate: floor.movesPerSecond,
      reportMs,
      backDatedMs: backMs,
      drift: check.drift.length,
    }),
  );
  await data.dispose();
}

if (import.meta.url === `file://${process.argv[1]}`) await runInventoryBulkBench();
