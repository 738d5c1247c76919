// Builds the console (apps/web/dist) when it is missing or older than any of its sources, so that
// `npm start` always serves the current console. A fresh build takes a few seconds.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = fileURLToPath(new URL('..', import.meta.url));
const built = join(web, 'dist', 'index.html');

function newest(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let max = s.mtimeMs;
  for (const name of readdirSync(path)) max = Math.max(max, newest(join(path, name)));
  return max;
}

const sources = ['src', 'index.html', 'vite.config.ts', 'package.json']
  .map((p) => join(web, p))
  .filter(existsSync);
const stale = !existsSync(built) || Math.max(...sources.map(newest)) > statSync(built).mtimeMs;
if (stale) {
  console.log('Building the web console (apps/web/dist)…');
  const result = spawnSync(
    process.execPath,
    [join(web, '../../node_modules/vite/bin/vite.js'), 'build', web, '--logLevel', 'warn'],
    {
      stdio: 'inherit',
    },
  );
  process.exit(result.status ?? 1);
}
