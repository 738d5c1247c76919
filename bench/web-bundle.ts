/**
 * `npx tsx bench/web-bundle.ts`: the console's JavaScript as a browser loads it, from apps/web/dist
 * (built first when missing or stale). Sizes are gzip level 9 of the built files, so no baseline is
 * needed: they do not depend on the machine's load. First load = the entry chunk and every chunk it
 * imports statically; each route = what its lazy chunk adds on top. Budget: first load <= 300 KB.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'apps/web/dist');
const BUDGET_KB = 300;

spawnSync(process.execPath, [join(root, 'apps/web/scripts/ensure-built.mjs')], { stdio: 'inherit' });

const html = readFileSync(join(dist, 'index.html'), 'utf8');
const entry = /<script type="module" crossorigin src="\/(assets\/[^"]+\.js)"/.exec(html)?.[1];
if (!entry) throw new Error('no entry script in apps/web/dist/index.html');

const source = (file: string) => readFileSync(join(dist, file), 'utf8');
const gz = (file: string) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
/** Chunks a chunk imports statically (`import … from "./x.js"`) and lazily (`import("./x.js")`). */
function imports(file: string): { statics: string[]; lazies: string[] } {
  const text = source(file);
  const rel = (m: string) => `assets/${m.replace(/^\.\//, '')}`;
  const statics = [
    ...text.matchAll(/(?:import|export)\s*(?:[^'"`()]*?from\s*)?["'`](\.\/[^"'`]+\.js)["'`]/g),
  ].map((m) => rel(m[1]!));
  const lazies = [...text.matchAll(/import\(\s*["'`](\.\/[^"'`]+\.js)["'`]\s*\)/g)].map((m) => rel(m[1]!));
  return { statics, lazies };
}
function closure(start: string): Set<string> {
  const seen = new Set<string>();
  const stack = [start];
  while (stack.length) {
    const f = stack.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    stack.push(...imports(f).statics);
  }
  return seen;
}
const kb = (bytes: number) => (bytes / 1024).toFixed(1);
const total = (files: Iterable<string>) => [...files].reduce((n, f) => n + gz(f), 0);

const first = closure(entry);
const firstBytes = total(first);
const routes = [...new Set([...first].flatMap((f) => imports(f).lazies))].sort();
console.log(`| chunk | gzipped JS (KB) |\n| --- | ---: |`);
console.log(`| first load (shell: ${first.size} files) | ${kb(firstBytes)} |`);
for (const route of routes) {
  const added = [...closure(route)].filter((f) => !first.has(f));
  const name = /assets\/([A-Za-z]+)-/.exec(route)?.[1] ?? route;
  console.log(`| + route ${name} (${added.length} files) | ${kb(total(added))} |`);
}
console.log(
  `\nfirst load ${kb(firstBytes)} KB gzipped (budget ${BUDGET_KB} KB): ${firstBytes <= BUDGET_KB * 1024 ? 'within' : 'OVER'}`,
);
process.exitCode = firstBytes <= BUDGET_KB * 1024 ? 0 : 1;
