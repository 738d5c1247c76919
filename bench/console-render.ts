/// <reference lib="dom" />
/**
 * `npx tsx bench/console-render.ts`: how long the generated list takes to show a 50-row page after its
 * data has arrived, in Debian's Chromium (headless) against a real server on PGlite. An entity of nine
 * field kinds with 200 records; the list page is loaded `BENCH_RUNS` times (default 15, the first 2
 * unmeasured). Per run: from the end of the list response (Resource Timing) to the first table rows
 * in the DOM (commit) and to the next animation frame after it (painted). Goal: painted <= 100 ms.
 */
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { openBrowser, startConsoleServer } from '../e2e/browser.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const WARMUP = 2;
const GOAL_MS = 100;
const CPUS = cpus().length;
const label = (zh: string, en: string) => ({ 'zh-CN': zh, en });

const { server, base } = await startConsoleServer([
  {
    name: 'bench_row',
    label: label('基准行', 'Bench row'),
    titleField: 'title',
    fields: [
      { name: 'title', label: label('标题', 'Title'), kind: 'string' },
      { name: 'qty', label: label('数量', 'Qty'), kind: 'integer' },
      { name: 'price', label: label('价格', 'Price'), kind: 'money', currency: 'CNY' },
      { name: 'rate', label: label('比率', 'Rate'), kind: 'decimal', precision: 12, scale: 4 },
      { name: 'day', label: label('日期', 'Day'), kind: 'date' },
      { name: 'at', label: label('时间', 'At'), kind: 'datetime' },
      { name: 'ok', label: label('有效', 'OK'), kind: 'boolean' },
      {
        name: 'level',
        label: label('级别', 'Level'),
        kind: 'select',
        options: [
          { value: 'a', label: label('甲', 'A') },
          { value: 'b', label: label('乙', 'B') },
        ],
      },
      { name: 'note', label: label('备注', 'Note'), kind: 'text' },
    ],
  },
]);
const t0 = performance.now();
for (let i = 0; i < 200; i++) {
  const res = await server.call('POST', '/api/v1/bench_row', {
    title: `记录 ${String(i).padStart(4, '0')}`,
    qty: i,
    price: `${i * 7}.5`,
    rate: '0.1250',
    day: '2026-11-27',
    at: '2026-11-27T02:00:00.000Z',
    ok: i % 2 === 0,
    level: i % 2 ? 'a' : 'b',
    note: '第一行\n第二行',
  });
  if (res.status !== 201) throw new Error(JSON.stringify(res.body));
}
console.error(`200 records in ${Math.round(performance.now() - t0)} ms`);

const browser = await openBrowser();
const page = await browser.context.newPage();
await page.addInitScript(() => {
  const w = window as unknown as { __committed?: number; __painted?: number };
  const observer = new MutationObserver(() => {
    if (w.__committed !== undefined) return;
    if (document.querySelectorAll('.ant-table-row').length > 0) {
      w.__committed = performance.now();
      requestAnimationFrame(() => {
        w.__painted = performance.now();
      });
    }
  });
  observer.observe(document, { childList: true, subtree: true });
});
await page.goto(base);
await page.getByLabel('用户名').fill(`admin@${server.tenant.name}`);
await page.getByLabel('密码').fill('admin-password-1');
await page.getByRole('button', { name: /^登\s*录$/ }).click();
await page.getByRole('menuitem', { name: '任务' }).waitFor();

type Run = { commit: number; paint: number; rows: number; pageRows: number };
const runs: Run[] = [];
for (let i = 0; i < RUNS + WARMUP; i++) {
  await page.goto(`${base}/data/bench_row`);
  await page.waitForFunction(() => (window as unknown as { __painted?: number }).__painted !== undefined);
  const run = await page.evaluate(() => {
    const w = window as unknown as { __committed: number; __painted: number };
    const list = performance
      .getEntriesByType('resource')
      .filter((e) => e.name.includes('/api/v1/bench_row?')) as PerformanceResourceTiming[];
    const arrived = list[0]!.responseEnd;
    return {
      commit: w.__committed - arrived,
      paint: w.__painted - arrived,
      rows: document.querySelectorAll('.ant-table-row').length,
      pageRows: 0,
    };
  });
  const body = await server.call('GET', '/api/v1/bench_row?pageSize=50');
  run.pageRows = body.body.data.items.length;
  if (i >= WARMUP) runs.push(run);
}
await browser.close();
await server.close();

console.error(`painted per run (ms): ${runs.map((r) => r.paint.toFixed(0)).join(' ')}`);
const sorted = (k: 'commit' | 'paint') => runs.map((r) => r[k]).sort((a, b) => a - b);
const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;
const row = (name: string, k: 'commit' | 'paint') => {
  const xs = sorted(k);
  return `| ${name} | ${pct(xs, 50).toFixed(1)} | ${pct(xs, 95).toFixed(1)} | ${xs.at(-1)!.toFixed(1)} |`;
};
console.log(`| 50-row list page, ${runs.length} runs | median ms | p95 ms | max ms |`);
console.log('| --- | ---: | ---: | ---: |');
console.log(row('data arrived -> rows in the DOM', 'commit'));
console.log(row('data arrived -> next frame (painted)', 'paint'));
console.log(`\nrows per page ${runs[0]!.pageRows}; table rows in the DOM (virtualised) ${runs[0]!.rows}`);
console.log(
  `load average during the runs: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} (${CPUS} CPUs)`,
);
const p95 = pct(sorted('paint'), 95);
console.log(`painted p95 ${p95.toFixed(1)} ms (goal ${GOAL_MS} ms): ${p95 <= GOAL_MS ? 'met' : 'NOT met'}`);
