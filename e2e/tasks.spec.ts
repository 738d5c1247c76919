/**
 * The task inbox in real browsers: two operators in two browser contexts. A task created elsewhere
 * arrives live in both "available" lists; when one claims it, it leaves the other's list live; start,
 * suspend, resume, complete with the service's form (a required decimal), and a handover that lands in
 * the colleague's own list without a reload. Screenshots go to e2e/artifacts/.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { TestServer } from '../packages/server/src/testing.ts';
import { ARTIFACTS, zhEn as label, openBrowser, signIn as signInAt, startConsoleServer } from './browser.ts';

let server: TestServer;
let base: string;
const browsers: Awaited<ReturnType<typeof openBrowser>>[] = [];
let one: Page;
let two: Page;

const signIn = (page: Page, username: string) =>
  signInAt(page, base, `${username}@${server.tenant.name}`, `${username}-password-1`);

const task = (page: Page, text: string) => page.locator('.tenon-task', { hasText: text });
const createTask = async (service: string, recordId: string) => {
  const res = await server.call('POST', '/api/v1/processes', { service, entity: 'patient', recordId });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.data.pid as string;
};

let patientId = '';

before(async () => {
  ({ server, base } = await startConsoleServer());
  const service = await server.call('POST', '/api/v1/meta/objects/service', {
    name: 'temp_check',
    label: label('测体温', 'Temperature check'),
    bindsTo: 'patient',
    role: 'nurse',
    form: [
      { name: 'temp', label: label('体温', 'Temperature'), kind: 'decimal', required: true },
      { name: 'note', label: label('备注', 'Note'), kind: 'string' },
    ],
  });
  assert.equal(service.status, 201, JSON.stringify(service.body));
  const role = await server.call('PUT', '/api/v1/security/roles/nurse', {
    label: label('护士', 'Nurse'),
    permissions: [
      { entity: '$process', actions: ['read', 'update'] },
      { entity: 'patient', actions: ['read'] },
    ],
  });
  assert.equal(role.status, 200, JSON.stringify(role.body));
  await server.userWith({ username: 'nurse1', roles: ['nurse'] });
  await server.userWith({ username: 'nurse2', roles: ['nurse'] });
  const patient = await server.call('POST', '/api/v1/patient', { full_name: '王小美' });
  patientId = patient.body.data.id;
  for (let i = 0; i < 2; i++) browsers.push(await openBrowser());
  one = await browsers[0]!.context.newPage();
  two = await browsers[1]!.context.newPage();
  for (const page of [one, two]) page.setDefaultTimeout(20_000);
});

after(async () => {
  for (const b of browsers) await b.close();
  await server?.close();
});

test('two operators see a new task arrive live, and leave when one claims it', async () => {
  await signIn(one, 'nurse1');
  await signIn(two, 'nurse2');
  for (const page of [one, two]) {
    await page.getByRole('menuitem', { name: '任务' }).click();
    await page.getByRole('tab', { name: /待领取/ }).click();
    await page.getByText('暂无任务').waitFor();
  }
  await createTask('temp_check', patientId);
  // No reload: the SSE event refreshes both lists.
  await task(one, '测体温').waitFor();
  await task(two, '测体温').waitFor();
  await task(two, '王小美').waitFor();
  await two.screenshot({ path: join(ARTIFACTS, 'tasks-01-arrived.png'), fullPage: true });

  await task(one, '测体温')
    .getByRole('button', { name: /^领\s*取$/ })
    .click();
  await task(two, '测体温').waitFor({ state: 'detached' });
  await one.getByRole('tab', { name: /我的任务/ }).click();
  await task(one, '就绪').waitFor();
});

test('start, suspend, resume and complete with the service form', async () => {
  await task(one, '测体温')
    .getByRole('button', { name: /^开\s*始$/ })
    .click();
  await task(one, '进行中').waitFor();
  await task(one, '测体温')
    .getByRole('button', { name: /^挂\s*起$/ })
    .click();
  await task(one, '测体温').waitFor({ state: 'detached' });
  await one.getByRole('tab', { name: /已挂起/ }).click();
  await task(one, '测体温')
    .getByRole('button', { name: /^恢\s*复$/ })
    .click();
  await task(one, '测体温').waitFor({ state: 'detached' });
  await one.getByRole('tab', { name: /我的任务/ }).click();
  await task(one, '测体温')
    .getByRole('button', { name: /^完\s*成$/ })
    .click();
  const dialog = one.locator('.ant-modal');
  await dialog.locator('#field-temp').waitFor();
  await dialog.getByRole('button', { name: /^完\s*成$/ }).click();
  await dialog.getByText('必填').waitFor();
  await dialog.locator('#field-temp').fill('36.8');
  await dialog.locator('#field-note').fill('正常');
  await one.screenshot({ path: join(ARTIFACTS, 'tasks-02-complete.png'), fullPage: true });
  await dialog.getByRole('button', { name: /^完\s*成$/ }).click();
  await task(one, '测体温').waitFor({ state: 'detached' });
  const done = await server.call('GET', `/api/v1/processes?state=TERMINATED&service=temp_check`);
  assert.equal(done.body.data.total, 1);
  assert.deepEqual(done.body.data.items[0].context.form, { temp: '36.8', note: '正常' });
});

test('a handed-over task lands live in the colleague’s own list', async () => {
  await two.getByRole('tab', { name: /我的任务/ }).click();
  await two.getByText('暂无任务').waitFor();
  await createTask('temp_check', patientId);
  await one.getByRole('tab', { name: /待领取/ }).click();
  await task(one, '测体温')
    .getByRole('button', { name: /^领\s*取$/ })
    .click();
  await one.getByRole('tab', { name: /我的任务/ }).click();
  await task(one, '测体温')
    .getByRole('button', { name: /^转\s*交$/ })
    .click();
  const dialog = one.locator('.ant-modal');
  await dialog.getByLabel('转交给').click();
  await one.locator(`.ant-select-dropdown:visible .ant-select-item-option`, { hasText: 'nurse2' }).click();
  await dialog.getByLabel('原因（可选）').fill('换班');
  await dialog.getByRole('button', { name: /^转\s*交$/ }).click();
  await task(one, '测体温').waitFor({ state: 'detached' });
  await task(two, '测体温').waitFor();
  await two.screenshot({ path: join(ARTIFACTS, 'tasks-03-handed-over.png'), fullPage: true });
});

test('the inbox in English on a phone-sized viewport', async () => {
  await two.setViewportSize({ width: 390, height: 844 });
  await two.getByText('EN', { exact: true }).click();
  await two.getByRole('tab', { name: /My tasks/ }).waitFor();
  await task(two, 'Temperature check')
    .getByRole('button', { name: /^Start$/ })
    .click();
  await task(two, 'Running').waitFor();
  await two.screenshot({ path: join(ARTIFACTS, 'tasks-04-phone-en.png'), fullPage: true });
});
