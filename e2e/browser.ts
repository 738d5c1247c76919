/** Debian's Chromium driven by playwright-core (never a browser download), and a server for it. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { consoleModule } from '../packages/server/src/routes/form-layouts.routes.ts';
import { createTestServer, type TestServer } from '../packages/server/src/testing.ts';

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
    // The console turns Ant Design's animations off: clicks never land on a half-open menu or
    // dropdown, and the renderer draws far fewer frames.
    reducedMotion: 'reduce',
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export const zhEn = (zh: string, en: string) => ({ 'zh-CN': zh, en });

/** A patient entity titled by its name: the browser tests' usual business record. */
export const PATIENT = {
  name: 'patient',
  label: zhEn('患者', 'Patient'),
  titleField: 'full_name',
  fields: [{ name: 'full_name', label: zhEn('姓名', 'Name'), kind: 'string' }],
};

/** The console built, a server with the kernel running (live events) listening, with these entities defined. */
export async function startConsoleServer(
  entities: unknown[] = [PATIENT],
): Promise<{ server: TestServer; base: string }> {
  ensureConsoleBuilt();
  // consoleModule: the console's own design-object kinds (form layouts), as the composition root installs.
  const server = await createTestServer({ modules: [consoleModule], startKernel: { pollMs: 25 } });
  const base = await server.app.listen({ port: 0, host: '127.0.0.1' });
  await server.define(entities);
  return { server, base };
}

/** Signs in through the login form (zh-CN) and waits for the menu. */
export async function signIn(page: Page, base: string, username: string, password: string): Promise<void> {
  await page.goto(base);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: /^登\s*录$/ }).click();
  await page.getByRole('menuitem', { name: '任务' }).waitFor();
}

/**
 * Clicks a menu item and waits for the page it leads to. A click that lands while the menu is still
 * opening its group (an animation) can be lost: it is clicked again, up to three times.
 */
export async function clickThrough(page: Page, item: Locator, url: RegExp): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await item.click();
    try {
      await page.waitForURL(url, { timeout: 5000 });
      return;
    } catch (err) {
      if (attempt === 3) throw err;
    }
  }
}

/**
 * Picks an option of the antd Select `select` by its visible label and waits until its dropdown has
 * closed, so the next choice cannot hit this one's options. A dropdown that stays open (an option
 * click lost during its opening animation) is closed with Escape and the choice made again.
 */
export async function chooseOption(page: Page, select: Locator, option: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await select.click();
    await page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${option}"]`).click();
    try {
      await page.waitForFunction(
        () => document.querySelectorAll('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').length === 0,
        undefined,
        { timeout: 5000 },
      );
      return;
    } catch (err) {
      if (attempt === 3) throw err;
      await page.keyboard.press('Escape');
    }
  }
}
