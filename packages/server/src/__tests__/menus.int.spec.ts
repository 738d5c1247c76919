/**
 * Menus (design object kind `menu`, in consoleModule): checked (entities exist, paths are console
 * screens, labelled groups and links), and read by any signed-in user without the entities they may
 * not read; null when there is no menu.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { consoleModule } from '../routes/form-layouts.routes.ts';
import { createTestServer, type TestServer } from '../testing.ts';

const label = (en: string, zh = en) => ({ 'zh-CN': zh, en });

describe('menus', () => {
  let s: TestServer;
  let reader: string;

  before(async () => {
    s = await createTestServer({ modules: [consoleModule] });
    await s.define(
      ['patient', 'invoice'].map((name) => ({
        name,
        label: label(name),
        fields: [{ name: 'title', label: label('Title'), kind: 'string' }],
      })),
    );
    const role = await s.call('PUT', '/api/v1/security/roles/front', {
      label: label('Front desk'),
      permissions: [{ entity: 'patient', actions: ['read'] }],
    });
    assert.equal(role.status, 200, JSON.stringify(role.body));
    reader = await s.userWith({ username: 'front1', roles: ['front'] });
  });
  after(() => s.close());

  it('answers null without a menu', async () => {
    const res = await s.callAs(reader, 'GET', '/api/v1/menus/main');
    assert.equal(res.status, 200);
    assert.equal(res.body.data, null);
  });

  it('refuses unknown entities, foreign paths and unlabelled groups', async () => {
    const bad = await s.call('POST', '/api/v1/meta/objects/menu', {
      groups: [
        {
          label: label('Clinic', '门诊'),
          items: [{ entity: 'ghost' }, { path: 'https://evil.example', label: label('x') }],
        },
        { label: {}, items: [{ path: '/tasks' }, { something: 1 }] },
      ],
    });
    assert.equal(bad.status, 422, JSON.stringify(bad.body));
    assert.deepEqual(bad.body.error.details.map((d: { field: string }) => d.field).sort(), [
      'groups.0.items.0.entity',
      'groups.0.items.1.path',
      'groups.1.items.0.label',
      'groups.1.items.1',
      'groups.1.label',
    ]);
  });

  it('saves "main" and leaves out what the user may not read', async () => {
    const saved = await s.call('POST', '/api/v1/meta/objects/menu', {
      groups: [
        {
          label: label('Clinic', '门诊'),
          items: [{ entity: 'patient' }, { path: '/tasks', label: label('My tasks', '我的任务') }],
        },
        { label: label('Money', '财务'), items: [{ entity: 'invoice' }] },
      ],
    });
    assert.equal(saved.status, 201, JSON.stringify(saved.body));
    assert.equal(saved.body.data.name, 'main');
    const mine = await s.callAs(reader, 'GET', '/api/v1/menus/main');
    assert.deepEqual(
      mine.body.data.groups.map((g: { label: { en: string }; items: unknown[] }) => [
        g.label.en,
        g.items.length,
      ]),
      [['Clinic', 2]],
    );
    const admin = await s.call('GET', '/api/v1/menus/main');
    assert.equal(admin.body.data.groups.length, 2);
    assert.equal((await s.callAs(null, 'GET', '/api/v1/menus/main')).status, 401);
  });
});
