/**
 * `npx tsx bench/kernel-rules.ts`: rule conditions evaluated per second, the way the rule handler
 * evaluates them (plain JSON data converted to CEL values on every evaluation, the result converted back,
 * the time budget measured), on one core, beside pgbench's TPC-B-like baseline taken in the same run.
 * Target: >= 50,000 conditions/s.
 *
 *   BENCH_DATABASE_URL   default postgres://postgres@127.0.0.1:5432/tenon_bench (pgbench only)
 *   BENCH_DURATION       seconds per condition (default 2, after 0.5 s of warm-up)
 */
import { compileRuleExpr, evaluateRuleExpr, type RuleVars } from '@tenon/kernel';
import { DISTURBED_CORES, meterCpu } from './cpu.ts';
import { benchDatabaseUrl, databaseName, ensureDatabase } from './database.ts';
import { runPgbench } from './pgbench.ts';

const log = (line: string) => console.error(line);
const seconds = Number(process.env.BENCH_DURATION ?? 2);
if (!Number.isFinite(seconds) || seconds <= 0) throw new Error('BENCH_DURATION must be a positive number');

/** A sales order as a rule sees it: 16 fields, decimals as strings, 20 lines. */
const record = {
  id: '0190a1b2-0000-7000-8000-000000000001',
  number: 'SO-202605-0042',
  customer: 'ACME Trading Co., Ltd.',
  status: 'confirmed',
  total: '12500.50',
  discount: '0.05',
  currency: 'CNY',
  priority: 2,
  company: 'c1',
  warehouse: 'WH-SH-01',
  ordered_at: '2026-05-01T08:00:00Z',
  due_date: '2026-05-10',
  tags: ['vip', 'export', 'rush'],
  note: 'Deliver to the north gate; call the buyer one hour before.',
  version: 3,
  lines: Array.from({ length: 20 }, (_, i) => ({ item: `ITM-${i}`, qty: String(i + 1), price: '99.90' })),
};
const vars: RuleVars = {
  event: {
    topic: 'record.updated',
    entity: 'sales_order',
    recordId: record.id,
    before: { status: 'draft' },
    after: { status: 'confirmed' },
    changed: ['status'],
    actor: { userId: 'u1', username: 'alice' },
  },
  record,
  process: null,
  now: '2026-05-02T09:00:00Z',
};

const CONDITIONS: [name: string, source: string][] = [
  ['field equals', "event.after.status == 'confirmed'"],
  ['decimal compare', 'decimal(record.total) >= decimal("10000.00") && record.priority <= 2'],
  ['string functions', "record.customer.startsWith('ACME') && record.note.contains('gate')"],
  ['list membership', "'vip' in record.tags && record.currency in ['CNY', 'USD']"],
  ['macro over 20 lines', 'record.lines.exists(l, l.item == "ITM-19")'],
  ['regex', "record.number.matches('^SO-[0-9]{6}-[0-9]{4}$')"],
  ['timestamp', "timestamp(record.ordered_at) < now && 'status' in event.changed"],
];

/**
 * `fresh`: every evaluation gets a new event's data (converted to CEL values each time: the first rule
 * of an event); otherwise the data of one event is converted once and shared (the event's other rules).
 */
function measure(source: string, fresh: boolean): { perSecond: number; result: unknown } {
  const expr = compileRuleExpr(source);
  const next = () => (fresh ? { ...vars } : vars);
  let result: unknown;
  const warm = performance.now() + 500;
  while (performance.now() < warm) result = evaluateRuleExpr(expr, next());
  let n = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  // Check the clock every 100 evaluations, so the loop measures evaluations, not the clock.
  while (performance.now() < end) {
    for (let i = 0; i < 100; i++) result = evaluateRuleExpr(expr, next());
    n += 100;
  }
  return { perSecond: n / ((performance.now() - start) / 1000), result };
}

async function main() {
  const url = benchDatabaseUrl();
  await ensureDatabase(url);
  const rows: { name: string; perSecond: number; freshPerSecond: number }[] = [];
  const meter = meterCpu(databaseName(url));
  for (const [name, source] of CONDITIONS) {
    const shared = measure(source, false);
    const fresh = measure(source, true);
    for (const r of [shared.result, fresh.result]) {
      if (r !== true) throw new Error(`${name}: expected true, got ${JSON.stringify(r)}`);
    }
    rows.push({ name, perSecond: shared.perSecond, freshPerSecond: fresh.perSecond });
    log(
      `${name}: ${Math.round(shared.perSecond)} /s (data converted per evaluation: ${Math.round(fresh.perSecond)} /s)`,
    );
  }
  const cpu = meter.stop(1);
  const pgMeter = meterCpu(databaseName(url));
  const pgbench = await runPgbench(url, { clients: 4, threads: 2, seconds: 10 }, log);
  const pgCpu = pgMeter.stop(1);
  const mean = rows.reduce((sum, r) => sum + r.perSecond, 0) / rows.length;
  const slowest = Math.min(...rows.map((r) => r.perSecond));
  const freshMean = rows.reduce((sum, r) => sum + r.freshPerSecond, 0) / rows.length;
  const freshSlowest = Math.min(...rows.map((r) => r.freshPerSecond));
  const disturbed = (cpu.otherCores ?? 0) > DISTURBED_CORES ? ' (disturbed)' : '';
  console.log(
    JSON.stringify(
      {
        seconds,
        rows,
        mean,
        slowest,
        otherCores: cpu.otherCores,
        pgbench: { tps: pgbench.tps, otherCores: pgCpu.otherCores },
      },
      null,
      2,
    ),
  );
  console.log(
    [
      '| condition | evaluations/s, event data converted once | evaluations/s, data converted each time |',
      '|---|---|---|',
      ...rows.map(
        (r) =>
          `| ${r.name} | ${Math.round(r.perSecond).toLocaleString('en')} | ${Math.round(r.freshPerSecond).toLocaleString('en')} |`,
      ),
      `| **mean / slowest** | **${Math.round(mean).toLocaleString('en')} / ${Math.round(slowest).toLocaleString('en')}** | ${Math.round(freshMean).toLocaleString('en')} / ${Math.round(freshSlowest).toLocaleString('en')} |`,
      '',
      `other load during the run: ${cpu.otherCores?.toFixed(2) ?? 'n/a'} cores${disturbed}; pgbench (TPC-B-like, 4 clients, 10 s): ${pgbench.tps.toFixed(0)} tps (other load ${pgCpu.otherCores?.toFixed(2) ?? 'n/a'} cores)`,
    ].join('\n'),
  );
  if (slowest < 50_000) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
