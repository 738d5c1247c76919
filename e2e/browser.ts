/** Debian's Chromium driven by playwright-core (never a browser download), and a server for it. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium } from 'playwright-core';

const root = fileURLToPath(new URL('..', import.meta.url));
export const ARTIFACTS = join(root, 'e2e', 'artifacts');

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find(existsSync);

const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Builds apps/web/dist when it is missing or stale (the server serves it). */
export function ensureConsoleBuilt(): void {
  const result = spawnSync(process.execPath, [join(root, 'apps/web/scripts/ensure-built.mjs')], {
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('building the web console failed');
}

/** A headless browser with a fresh profile; `close` removes the profile. */
export async function openBrowser(options: { viewport?: { width: number; height: number } } = {}): Promise<{
  context: BrowserContext;
  close: () => Promise<void>;
}> {
  if (!CHROMIUM) throw new Error('Chromium is not installed: apt-get install -y chromium');
  mkdirSync(ARTIFACTS, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), 'tenon-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: options.viewport ?? { width: 1280, height: 800 },
    acceptDownloads: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
