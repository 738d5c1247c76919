/**
 * The shell's operator aids in a real browser: global search across entities (debounced) and recent
 * items, the notification bell (a rule's notification arrives, is marked read), and the resource
 * schedule's day timeline with a booking. Screenshots go to e2e/artifacts/.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createUser, totpCodeAt } from '@tenon/identity';
import type { Page } from 'playwright-core';
import type { TestServer } from '../packages/server/src/testing.ts';
import {
  ARTIFACTS,
  clickThrough,
  zhEn as label,
  openBrowser,
  PATIENT,
  signIn,
  startConsoleServer,
} from './browser.ts';

let server: TestServer;
let base: string;
let browser: Awaited<ReturnType<typeof openBrowser>>;
let page: Page;
const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

before(async () => {
  ({ server, base } = await startConsoleServer([
    PATIENT,
    {
      name: 'doctor',
      label: label('医生', 'Doctor'),
      fields: [{ name: 'name', label: label('姓名', 'Name'), kind: 'string' }],
    },
  ]));
  const rule = await server.call('POST', '/api/v1/meta/objects/rule', {
    name: 'new_patient_notice',
    label: label('新患者提醒', 'New patient notice'),
    event: { topic: 'record.created', entity: 'patient' },
    instructions: [
      { do: 'notify', role: 'admin', title: label('新患者登记', 'New patient'), body: 'record.full_name' },
    ],
  });
  assert.equal(rule.status, 201, JSON.stringify(rule.body));
  browser = await openBrowser();
  page = await browser.context.newPage();
  page.setDefaultTimeout(20_000);
  await signIn(page, base, `admin@${server.tenant.name}`, 'admin-password-1');
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('searches every entity by title and remembers opened records', async () => {
  await server.call('POST', '/api/v1/patient', { full_name: '王小美' });
  await server.call('POST', '/api/v1/patient', { full_name: '李四' });
  await server.call('POST', '/api/v1/doctor', { name: '王医生' });
  const box = page.getByLabel('全局搜索…');
  await box.fill('王');
  const dropdown = page.locator('.ant-select-dropdown:visible');
  await dropdown.getByText('王医生').waitFor();
  await dropdown.getByText('王小美').waitFor();
  assert.equal(await dropdown.getByText('李四').count(), 0);
  await shot('shell-01-search');
  await dropdown.getByText('王小美').click();
  await page.waitForURL(/\/data\/patient\/[0-9a-f-]{36}$/);
  await page.getByRole('button', { name: /^编\s*辑$/ }).waitFor();
  await page.goto(`${base}/`);
  await page.getByLabel('全局搜索…').click();
  await page.locator('.ant-select-dropdown:visible').getByText('最近访问', { exact: true }).waitFor();
  await page.locator('.ant-select-dropdown:visible').getByText('王小美').waitFor();
});

test('the bell shows a rule’s notification and marks it read', async () => {
  // The rule ran for each patient created above (two unread).
  await page.reload();
  await page.locator('.tenon-bell-badge').getByText('2').waitFor();
  await page.getByRole('button', { name: '通知' }).click();
  const item = page.locator('.tenon-notification', { hasText: '李四' });
  await item.getByText('新患者登记').waitFor();
  await shot('shell-02-notifications');
  await item.getByRole('button', { name: '标为已读' }).click();
  await page.locator('.tenon-bell-badge').getByText('1').waitFor();
  const unread = await server.call('GET', '/api/v1/notifications?unread=true');
  assert.equal(unread.body.data.total, 1);
});

test('the schedule shows a booking on the resource’s day timeline', async () => {
  const room = await server.call('POST', '/api/v1/resource', {
    code: 'ROOM-1',
    name: '一号诊室',
    type: 'room',
    capacity: 1,
  });
  assert.equal(room.status, 201, JSON.stringify(room.body));
  const service = await server.call('POST', '/api/v1/meta/objects/service', {
    name: 'consult',
    label: label('面诊', 'Consultation'),
    durationMinutes: 60,
    resources: [{ type: 'room' }],
  });
  assert.equal(service.status, 201, JSON.stringify(service.body));
  // Tomorrow 10:00 in the browser's time zone (Asia/Shanghai).
  const tomorrow = new Date(Date.now() + 8 * 3_600_000 + 86_400_000).toISOString().slice(0, 10);
  const booked = await server.call('POST', '/api/v1/schedule/book', {
    service: 'consult',
    start: `${tomorrow}T10:00:00+08:00`,
  });
  assert.equal(booked.status, 201, JSON.stringify(booked.body));
  await page.getByRole('menuitem', { name: '资源排程' }).click();
  const row = page.locator('.tenon-timeline-row[data-resource="ROOM-1"]');
  await row.getByText('一号诊室').waitFor();
  assert.equal(await row.locator('.tenon-booking').count(), 0);
  await page.getByRole('button', { name: '下一段' }).click();
  await row.locator('.tenon-booking').waitFor();
  const style = await row.locator('.tenon-booking').getAttribute('style');
  // 10:00-11:00 of a 24-hour day: left 41.67 %, width 4.17 %.
  assert.match(style ?? '', /left: 41\.66/);
  await shot('shell-03-schedule');
  await page.getByText('周', { exact: true }).click();
  await row.locator('.tenon-booking').waitFor();
});

test('a new user replaces the one-time password at the first sign-in', async () => {
  // A browser of its own: a fresh profile, nothing signed in.
  const other = await openBrowser();
  const fresh = await other.context.newPage();
  fresh.setDefaultTimeout(30_000);
  const username = `newcomer@${server.tenant.name}`;
  await createUser(server.db, {
    username,
    password: 'one-time-Pass-1',
    tenant: server.tenant,
    roles: ['admin'],
    mustChangePassword: true,
  });
  await fresh.goto(base);
  await fresh.getByLabel('用户名').fill(username);
  await fresh.getByLabel('密码').fill('one-time-Pass-1');
  await fresh.getByRole('button', { name: /^登\s*录$/ }).click();
  await fresh.getByText('设置新密码').waitFor();
  await fresh.getByLabel('新密码', { exact: true }).fill('my-own-Pass-2');
  await fresh.getByLabel('确认新密码').fill('my-own-Pass-3');
  await fresh.getByRole('button', { name: '修改并登录' }).click();
  await fresh.getByText('两次输入的密码不一致').waitFor();
  await fresh.getByLabel('确认新密码').fill('my-own-Pass-2');
  await fresh.getByRole('button', { name: '修改并登录' }).click();
  await fresh.getByRole('menuitem', { name: '任务' }).waitFor();
  const login = await server.callAs(null, 'POST', '/api/v1/auth/login', {
    username,
    password: 'my-own-Pass-2',
  });
  assert.equal(login.status, 200);
  await other.close();
});

test('signing out ends the session on the server, not only in the browser', async () => {
  const held = await page.evaluate(() => ({
    access: sessionStorage.getItem('tenon.token'),
    refresh: localStorage.getItem('tenon.refresh'),
  }));
  assert.ok(held.access && held.refresh, 'signed in: both tokens held');
  assert.equal((await server.callAs(held.access, 'GET', '/api/v1/auth/me')).status, 200);
  await page.getByRole('button', { name: '退出登录' }).click();
  await page.getByLabel('用户名').waitFor();
  assert.deepEqual(
    await page.evaluate(() => [sessionStorage.getItem('tenon.token'), localStorage.getItem('tenon.refresh')]),
    [null, null],
  );
  // Whoever copied the tokens before the sign-out can use neither (the logout call ends the session).
  const deadline = Date.now() + 5000;
  while ((await server.callAs(held.access, 'GET', '/api/v1/auth/me')).status !== 401) {
    assert.ok(Date.now() < deadline, 'the access token still works 5 s after signing out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const refreshed = await server.callAs(null, 'POST', '/api/v1/auth/refresh', { refreshToken: held.refresh });
  assert.equal(refreshed.status, 401);
  await signIn(page, base, `admin@${server.tenant.name}`, 'admin-password-1');
});

test('an administrator adds a user, disables and enables them, and resets their password', async () => {
  const role = await server.call('PUT', '/api/v1/security/roles/receptionist', {
    label: label('前台', 'Receptionist'),
    permissions: [{ entity: 'patient', actions: ['read', 'create'] }],
  });
  assert.ok(role.status === 200 || role.status === 201, JSON.stringify(role.body));
  const username = `reception@${server.tenant.name}`;
  const login = (password: string) =>
    server.callAs(null, 'POST', '/api/v1/auth/login', { username, password });
  const oneTimePassword = async () => {
    const shown = page.locator('.tenon-one-time-password');
    await shown.waitFor();
    const password = ((await shown.locator('code').textContent()) ?? '').trim();
    await page
      .locator('.ant-modal:visible')
      .getByRole('button', { name: /^(确\s*定|OK)$/ })
      .click();
    await shown.waitFor({ state: 'detached' });
    return password;
  };
  const row = () => page.locator('tr', { hasText: username });

  await page.goto(`${base}/`);
  await page.getByRole('menuitem', { name: '系统' }).click();
  await clickThrough(page, page.getByRole('menuitem', { name: '用户' }), /\/admin\/users$/);
  await page.getByRole('button', { name: '新建用户' }).click();
  const dialog = page.locator('.ant-modal:visible');
  await dialog.getByLabel('用户名').fill(username);
  await dialog.getByLabel('显示名称').fill('前台小李');
  await dialog.getByLabel('角色').click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option[title="前台"]').click();
  await page.keyboard.press('Escape');
  await dialog.getByRole('button', { name: /^创\s*建$/ }).click();
  const first = await oneTimePassword();
  await row().getByText('前台', { exact: true }).waitFor();
  await shot('shell-05-users');
  const signedIn = await login(first);
  assert.equal(signedIn.status, 200, JSON.stringify(signedIn.body));
  assert.equal(signedIn.body.data.mustChangePassword, true);

  // Disabled: the account can no longer sign in; enabled again, it can.
  const setEnabled = async (enabled: boolean) => {
    await row()
      .getByRole('button', { name: /^编\s*辑$/ })
      .click();
    const edit = page.locator('.ant-modal:visible');
    const toggle = edit.getByRole('switch', { name: '启用账号' });
    if ((await toggle.getAttribute('aria-checked')) !== String(enabled)) await toggle.click();
    await edit.getByRole('button', { name: /^保\s*存$/ }).click();
    await row()
      .getByText(enabled ? '启用' : '已停用', { exact: true })
      .waitFor();
  };
  await setEnabled(false);
  assert.equal((await login(first)).body.error?.code, 'AUTH_DISABLED');
  await setEnabled(true);
  assert.equal((await login(first)).status, 200);

  // A forgotten password: a new one-time password, the old one gone.
  await row().getByRole('button', { name: '重置密码' }).click();
  await page.locator('.ant-popconfirm:visible').getByRole('button', { name: '重置密码' }).click();
  const second = await oneTimePassword();
  assert.notEqual(second, first);
  assert.equal((await login(first)).status, 401);
  const again = await login(second);
  assert.equal(again.status, 200, JSON.stringify(again.body));
  assert.equal(again.body.data.mustChangePassword, true);

  // The user's activity: the sign-ins above, the refused one, the reset.
  await row()
    .getByRole('button', { name: /^活\s*动$/ })
    .click();
  const activity = page.locator('.ant-drawer:visible .tenon-activity');
  await activity.getByText('管理员重置密码').waitFor();
  await activity.getByText('登录失败').first().waitFor();
  assert.ok((await activity.getByText('登录', { exact: true }).count()) >= 2);
  await page.keyboard.press('Escape');
});

test('an administrator defines a role in the permission matrix, named from its Chinese name; conditions it cannot show are kept', async () => {
  const saved = async () =>
    (await server.call('GET', '/api/v1/security/roles')).body.data.items.find(
      (r: { name: string }) => r.name === 'hu_li_zhu_li',
    );
  const drawer = page.locator('.ant-drawer:visible');
  const save = async () => {
    await drawer.getByRole('button', { name: /^保\s*存$/ }).click();
    await drawer.waitFor({ state: 'detached' });
  };
  await page.goto(`${base}/`);
  await page.getByRole('menuitem', { name: '系统' }).click();
  await clickThrough(page, page.getByRole('menuitem', { name: '角色' }), /\/admin\/roles$/);
  await page.getByRole('button', { name: '新建角色' }).click();
  await drawer.getByLabel('中文名称').fill('护理助理');
  await drawer.getByLabel('英文名称').fill('Nurse aide');
  // 标识 left empty: made from the Chinese name.
  await drawer.getByRole('checkbox', { name: '患者 查看' }).check();
  await drawer.getByRole('checkbox', { name: '患者 新建' }).check();
  await shot('shell-06-role');
  await save();
  await page.locator('tr', { hasText: 'hu_li_zhu_li' }).getByText('护理助理').waitFor();
  assert.deepEqual((await saved()).permissions, [{ entity: 'patient', actions: ['read', 'create'] }]);

  // A row condition added through the API is kept when the matrix is edited again.
  const condition = {
    entity: 'doctor',
    actions: ['read'],
    where: { field: 'name', op: 'eq', value: '$user.username' },
  };
  const put = await server.call('PUT', '/api/v1/security/roles/hu_li_zhu_li', {
    label: label('护理助理', 'Nurse aide'),
    permissions: [...(await saved()).permissions, condition],
  });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  await page.reload();
  await page
    .locator('tr', { hasText: 'hu_li_zhu_li' })
    .getByRole('button', { name: /^编\s*辑$/ })
    .click();
  await drawer.getByText('"$user.username"', { exact: false }).waitFor();
  await drawer.getByRole('checkbox', { name: '患者 修改' }).check();
  await drawer.getByRole('checkbox', { name: '审计日志 查看' }).check();
  await save();
  assert.deepEqual((await saved()).permissions, [
    { entity: 'patient', actions: ['read', 'create', 'update'] },
    { entity: '$audit', actions: ['read'] },
    condition,
  ]);
});

test('my account: end another session, keep an API token, two-step sign-in, change the password', async () => {
  const username = `acct@${server.tenant.name}`;
  await createUser(server.db, {
    username,
    password: 'acct-password-1',
    tenant: server.tenant,
    roles: ['admin'],
  });
  const login = (password: string) =>
    server.callAs(null, 'POST', '/api/v1/auth/login', { username, password });
  const elsewhere = (await login('acct-password-1')).body.data.accessToken as string;
  await page.goto(`${base}/`);
  await page.getByRole('button', { name: '退出登录' }).click();
  await signIn(page, base, username, 'acct-password-1');
  await page.getByRole('button', { name: username }).click();
  await page.waitForURL(/\/settings\/account$/);

  const card = (title: string) =>
    page.locator('.ant-card').filter({ has: page.locator('.ant-card-head-title', { hasText: title }) });
  // Sessions: this one flagged, the other one ended from here.
  const sessions = card('登录会话');
  await sessions.getByText('当前会话', { exact: true }).waitFor();
  assert.equal((await server.callAs(elsewhere, 'GET', '/api/v1/auth/me')).status, 200);
  await sessions.getByRole('button', { name: '结束会话' }).click();
  await sessions.getByRole('button', { name: '结束会话' }).waitFor({ state: 'detached' });
  assert.equal((await server.callAs(elsewhere, 'GET', '/api/v1/auth/me')).status, 401);

  // An API token, shown once, works until revoked here.
  const tokens = card('API 令牌');
  await tokens.getByRole('button', { name: '新建令牌' }).click();
  const dialog = page.locator('.ant-modal:visible');
  await dialog.getByLabel('名称').fill('sync');
  await dialog.getByRole('button', { name: /^创\s*建$/ }).click();
  const shown = page.locator('.tenon-new-api-token code');
  await shown.waitFor();
  const token = ((await shown.textContent()) ?? '').trim();
  assert.match(token, /^tna_/);
  await page
    .locator('.ant-modal:visible')
    .getByRole('button', { name: /^(确\s*定|OK)$/ })
    .click();
  assert.equal((await server.callAs(token, 'GET', '/api/v1/patient')).status, 200);
  await shot('shell-07-account');
  await tokens.getByRole('button', { name: /^撤\s*销$/ }).click();
  await tokens.getByText('已撤销').waitFor();
  assert.equal((await server.callAs(token, 'GET', '/api/v1/patient')).status, 401);

  // Two-step sign-in: on with the key and a code (ten recovery codes shown once), then off again.
  const mfa = card('双重验证');
  await mfa.getByRole('button', { name: '启用双重验证' }).click();
  await mfa.getByRole('img', { name: '身份验证器二维码' }).waitFor();
  await mfa.screenshot({ path: join(ARTIFACTS, 'shell-08-mfa.png') });
  const key = ((await mfa.locator('.tenon-mfa-secret code').textContent()) ?? '').replace(/\s/g, '');
  assert.match(key, /^[A-Z2-7]{32}$/);
  await mfa.getByLabel('动态验证码').fill(totpCodeAt(key, new Date()));
  await mfa.getByRole('button', { name: '确认启用' }).click();
  const codes = ((await page.locator('.tenon-recovery-codes').textContent()) ?? '').split('\n');
  assert.equal(codes.length, 10);
  await page
    .locator('.ant-modal:visible')
    .getByRole('button', { name: /^(确\s*定|OK)$/ })
    .click();
  await mfa.getByText('剩余恢复码 10 个').waitFor();
  assert.equal((await login('acct-password-1')).body.error?.code, 'AUTH_MFA_REQUIRED');
  const withRecovery = await server.callAs(null, 'POST', '/api/v1/auth/login', {
    username,
    password: 'acct-password-1',
    recoveryCode: codes[0],
  });
  assert.equal(withRecovery.status, 200, JSON.stringify(withRecovery.body));
  await page.reload();
  await mfa.getByText('剩余恢复码 9 个').waitFor();
  await mfa.getByLabel('当前密码').fill('acct-password-1');
  await mfa.getByRole('button', { name: '关闭双重验证' }).click();
  await mfa.getByRole('button', { name: '启用双重验证' }).waitFor();
  assert.equal((await login('acct-password-1')).status, 200);

  // A new password ends this session too: the sign-in form, then the new password works.
  const password = card('修改密码');
  await password.getByLabel('当前密码').fill('acct-password-1');
  await password.getByLabel('新密码', { exact: true }).fill('acct-New-password-2');
  await password.getByLabel('确认新密码').fill('acct-New-password-2');
  await password.getByRole('button', { name: '修改密码' }).click();
  await page.getByLabel('用户名').waitFor();
  assert.equal((await login('acct-password-1')).status, 401);
  assert.equal((await login('acct-New-password-2')).status, 200);
  await signIn(page, base, `admin@${server.tenant.name}`, 'admin-password-1');
});
