/**
 * `npm run bench -- inventory`: the stock ledger on PostgreSQL beside pgbench's TPC-B-like baseline
 * taken in the same run (bench/pgbench.ts). Service-level (no HTTP): postings by 8 clients, the
 * stock balance report over the whole ledger, and hot-item reservations by 64 clients.
 *
 *   BENCH_DATABASE_URL   default postgres://postgres@127.0.0.1:5432/tenon_bench
 *   INV_BENCH_MOVES      single-line moves to post (default 100000)
 *   INV_BENCH_SECONDS    pgbench seconds (default 10)
 */
import { Decimal } from '@tenon/core';
import { checkInventory, postStockMove, reserveStock, stockBalanceAsOf } from '@tenon/inventory';
import { type CpuUse, meterCpu } from './cpu.ts';
import { benchDatabaseUrl, databaseName, ensureDatabase, serverInfo } from './database.ts';
import { inventoryBenchData } from './inventory-setup.ts';
import { runPgbench } from './pgbench.ts';

const log = (line: string) => console.error(line);
const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

export async function parallel(clients: number, total: number, job: (i: number) => Promise<unknown>) {
  let next = 0;
  const errors: unknown[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < total) {
        const i = next++;
        try {
          await job(i);
        } catch (err) {
          errors.push(err);
        }
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, errors };
}

export async function runInventoryBench(): Promise<void> {
  const url = benchDatabaseUrl();
  await ensureDatabase(url);
  const moves = num('INV_BENCH_MOVES', 100_000);
  const info = await serverInfo(url);
  log(`PostgreSQL ${info.version}; ${moves} moves`);
  const pg = await runPgbench(url, { clients: 8, threads: 2, seconds: num('INV_BENCH_SECONDS', 10) }, log);
  log(`pgbench TPC-B-like, 8 clients: ${pg.tps.toFixed(0)} tps`);

  const { db, schema, warehouse, bins, items, make, uom, dispose } = await inventoryBenchData(url, {
    bins: 50,
    items: 200,
  });

  const cpuLine = (c: CpuUse) =>
    `CPU per operation: Tenon ${c.tenonUs?.toFixed(0) ?? '?'} µs, PostgreSQL ${c.postgresUs?.toFixed(0) ?? '?'} µs; other load ${c.otherCores?.toFixed(2) ?? '?'} cores`;
  // 1. Postings: receipts and issues spread over items and bins, 8 clients.
  let meter = meterCpu(databaseName(url), { pollMs: 1000 });
  const post = await parallel(8, moves, (i) => {
    const receipt = i % 4 !== 3;
    // An issue takes from the item received by the move just before it (3 receipts : 1 issue).
    const slot = (receipt ? i : i - 1) % items.length;
    const item = items[slot]!;
    const bin = bins[slot % bins.length]!;
    return postStockMove(db, schema, {
      idempotencyKey: `bench-${i}`,
      moveType: receipt ? 'receipt' : 'issue',
      warehouse,
      postingDate: '2026-01-01',
      lines: [
        receipt
          ? { item, toLocation: bin, quantity: '2', unitCost: '1.25' }
          : { item, fromLocation: bin, quantity: '1' },
      ],
    });
  });
  const postRate = (moves - post.errors.length) / post.seconds;
  const postCpu = meter.stop(moves);
  log(
    `posting: ${postRate.toFixed(0)} moves/s (${post.errors.length} refused) = ${((postRate / pg.tps) * 100).toFixed(0)}% of pgbench ${pg.tps.toFixed(0)} tps (goal >= 50%); ${cpuLine(postCpu)}`,
  );

  // 2. Stock balance report over the whole ledger.
  const t0 = performance.now();
  const rows = await stockBalanceAsOf(db, schema, { asOf: '2026-12-31' });
  const reportMs = performance.now() - t0;
  log(`balance report over ${moves} moves: ${reportMs.toFixed(0)} ms (${rows.length} rows)`);

  // 3. Hot item: 64 clients reserve 1 unit each from 5,000 in stock; 6,000 attempts.
  const hot = await make('item', { name: 'Hot', base_uom: uom });
  await postStockMove(db, schema, {
    idempotencyKey: 'hot',
    moveType: 'receipt',
    warehouse,
    postingDate: '2026-01-01',
    lines: [{ item: hot, toLocation: bins[0]!, quantity: '5000', unitCost: '1' }],
  });
  meter = meterCpu(databaseName(url), { pollMs: 1000 });
  const reserve = await parallel(64, 6000, (i) =>
    reserveStock(db, schema, {
      item: hot,
      warehouse,
      quantity: '1',
      sourceType: 'bench',
      sourceId: String(i),
      today: '2026-01-01',
    }),
  );
  const reserved = await db.query<{ reserved: string; on_hand: string }>(
    `SELECT reserved::text AS reserved, on_hand::text AS on_hand FROM "${schema}".inv_stock WHERE item_id = $1`,
    [hot],
  );
  const reserveCpu = meter.stop(6000);
  // Decimal strings compared as decimals: no binary float touches the quantities.
  const oversold = new Decimal(reserved.rows[0]!.reserved).gt(reserved.rows[0]!.on_hand);
  log(
    `hot-item reservations, 64 clients: ${(6000 / reserve.seconds).toFixed(0)} attempts/s (goal >= 2,000/s; pgbench ${pg.tps.toFixed(0)} tps), ${reserved.rows[0]!.reserved} reserved of ${reserved.rows[0]!.on_hand}, oversold: ${oversold}; ${cpuLine(reserveCpu)}`,
  );

  const check = await checkInventory(db, schema);
  log(`consistency check: ${check.drift.length} drift over ${check.checked} balances`);
  console.log(
    JSON.stringify({
      pgbenchTps: pg.tps,
      moves,
      postRate,
      reportMs,
      reservePerSec: 6000 / reserve.seconds,
      postCpu,
      reserveCpu,
      oversold,
      drift: check.drift.length,
    }),
  );
  await dispose();
}
