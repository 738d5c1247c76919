/** The operations screens' browser tests: a server with inventory and WMS on the warehouse demo, and a phone. */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { inventoryModule, inventoryRoutes } from '../modules/inventory/src/index.ts';
import { orgModule } from '../modules/org/src/index.ts';
import { loadWmsDemo, type WmsDemo } from '../modules/wms/src/demo/wms-demo.ts';
import { wmsModule, wmsRoutes } from '../modules/wms/src/index.ts';
import { systemContext } from '../packages/design/src/index.ts';
import { consoleModule } from '../packages/server/src/routes/form-layouts.routes.ts';
import { createTestServer, type TestServer } from '../packages/server/src/testing.ts';
import { ensureConsoleBuilt, openBrowser } from './browser.ts';

export type OpsSetup = {
  server: TestServer;
  base: string;
  demo: NonNullable<WmsDemo>;
  page: Page;
  close: () => Promise<void>;
};

/** The console built, the server listening with the demo loaded, a 390 × 844 browser page. */
export async function startOpsServer(): Promise<OpsSetup> {
  ensureConsoleBuilt();
  const server = await createTestServer({
    modules: [consoleModule, orgModule, inventoryModule, wmsModule],
    routes: [inventoryRoutes, wmsRoutes],
  });
  const base = await server.app.listen({ port: 0, host: '127.0.0.1' });
  const metamodel = await server.deps.metamodels.forTenant(server.tenant);
  const demo = await loadWmsDemo(server.db, systemContext({ db: server.db, metamodel }));
  assert.ok(demo);
  const browser = await openBrowser({ viewport: { width: 390, height: 844 } });
  const page = await browser.context.newPage();
  page.setDefaultTimeout(10_000);
  return {
    server,
    base,
    demo,
    page,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}

/** Signs in as the administrator on the phone (the menu sits in a drawer behind ☰). */
export async function signInOnPhone({ page, base, server }: OpsSetup): Promise<void> {
  await page.goto(base);
  await page.getByLabel('用户名').fill(`admin@${server.tenant.name}`);
  await page.getByLabel('密码').fill('admin-password-1');
  await page.getByRole('button', { name: /^登\s*录$/ }).click();
  await page.getByRole('button', { name: '菜单' }).waitFor();
}

/** A scanner: the code typed into the scan field, then Enter. */
export async function scan(page: Page, code: string): Promise<void> {
  const input = page.getByLabel('扫码');
  await input.fill(code);
  await input.press('Enter');
}

/** Client-side navigation, as the menu does. */
export async function go(page: Page, path: string): Promise<void> {
  await page.evaluate((p) => {
    history.pushState({}, '', p);
    dispatchEvent(new PopStateEvent('popstate'));
  }, path);
}
