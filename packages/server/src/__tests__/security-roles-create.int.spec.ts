/**
 * Creating a role (`POST /api/v1/security/roles`): the identifier given, or derived from the Chinese
 * name's pinyin and made unique; never overwriting a role; bad input refused with nothing stored.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestServer, type TestServer } from '../testing.ts';

const ROLES = '/api/v1/security/roles';
const zhEn = (zh: string, en: string) => ({ 'zh-CN': zh, en });

describe('creating roles', () => {
  let s: TestServer;
  before(async () => {
    s = await createTestServer();
    await s.define([
      {
        name: 'patient',
        label: zhEn('患者', 'Patient'),
        fields: [{ name: 'full_name', label: zhEn('姓名', 'Name'), kind: 'string' }],
      },
    ]);
  });
  after(() => s.close());

  const roleNames = async () =>
    ((await s.call('GET', ROLES)).body.data.items as { name: string }[]).map((r) => r.name);

  it('derives the identifier from the Chinese name, unique among the roles', async () => {
    const body = {
      label: zhEn('护理助理', 'Nurse aide'),
      permissions: [{ entity: 'patient', actions: ['read'] }],
    };
    const first = await s.call('POST', ROLES, body);
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(first.body.data.role.name, 'hu_li_zhu_li');
    const second = await s.call('POST', ROLES, body);
    assert.equal(second.body.data.role.name, 'hu_li_zhu_li_2');
    const english = await s.call('POST', ROLES, {
      label: { 'zh-CN': '', en: 'Front desk' },
      permissions: [],
    });
    assert.equal(english.body.data.role.name, 'front_desk');
    const names = await roleNames();
    for (const name of ['hu_li_zhu_li', 'hu_li_zhu_li_2', 'front_desk'])
      assert.ok(names.includes(name), name);
    // At once usable: a user given the new role reads patients.
    const token = await s.userWith({ username: 'aide', roles: ['hu_li_zhu_li'] });
    assert.equal((await s.callAs(token, 'GET', '/api/v1/patient')).status, 200);
    assert.equal((await s.callAs(token, 'POST', '/api/v1/patient', { full_name: 'x' })).status, 403);
  });

  it('takes a given identifier, and never overwrites an existing role', async () => {
    const made = await s.call('POST', ROLES, {
      name: 'pharmacist',
      label: zhEn('药师', 'Pharmacist'),
      permissions: [],
    });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const again = await s.call('POST', ROLES, {
      name: 'pharmacist',
      label: zhEn('药剂师', 'Pharmacist'),
      permissions: [{ entity: '*', actions: ['*'] }],
    });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'ROLE_EXISTS');
    const kept = (await s.call('GET', ROLES)).body.data.items.find(
      (r: { name: string }) => r.name === 'pharmacist',
    );
    assert.deepEqual(kept.permissions, [], 'the first definition stands');
  });

  it('refuses bad definitions, the built-in name and callers without the right, storing nothing', async () => {
    const before = await roleNames();
    const bad = [
      { name: 'admin', label: zhEn('管理员', 'Admin'), permissions: [] },
      { name: 'Bad Name', label: zhEn('坏', 'Bad'), permissions: [] },
      { label: zhEn('无权限', 'No permissions') },
      {
        label: zhEn('未知实体', 'Unknown entity'),
        permissions: [{ entity: 'nothing_here', actions: ['read'] }],
      },
      { permissions: [] },
      'not an object',
    ];
    for (const body of bad) {
      const res = await s.call('POST', ROLES, body);
      assert.ok(res.status === 422 || res.status === 400, `${JSON.stringify(body)}: ${res.status}`);
    }
    const clerk = await s.userWith({ username: 'clerk', roles: [] });
    const forbidden = await s.callAs(clerk, 'POST', ROLES, { label: zhEn('前台', 'Desk'), permissions: [] });
    assert.equal(forbidden.status, 403);
    assert.deepEqual(await roleNames(), before);
  });
});
