/**
 * The task inbox's helper routes: a process's service form and the members it may be handed over to
 * (roles and skills fit, disabled members left out), with `$process` read only; 404 and 403 coded.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestServer, type TestServer } from '../testing.ts';

const label = (en: string, zh = en) => ({ 'zh-CN': zh, en });

describe('task form and handover candidates', () => {
  let s: TestServer;
  let nurse: string;
  let viewer: string;
  let pid = '';

  before(async () => {
    s = await createTestServer();
    const service = await s.call('POST', '/api/v1/meta/objects/service', {
      name: 'check',
      label: label('Check', '检查'),
      role: 'nurse',
      skills: ['iv'],
      form: [{ name: 'temp', label: label('Temperature', '体温'), kind: 'decimal', required: true }],
    });
    assert.equal(service.status, 201, JSON.stringify(service.body));
    for (const [name, entities] of [
      ['nurse', [{ entity: '$process', actions: ['read', 'update'] }]],
      ['viewer', []],
    ] as const) {
      const res = await s.call('PUT', `/api/v1/security/roles/${name}`, {
        label: label(name),
        permissions: entities,
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }
    nurse = await s.userWith({ username: 'nurse1', roles: ['nurse'], attributes: { skills: ['iv'] } });
    await s.userWith({ username: 'nurse2', roles: ['nurse'], attributes: { skills: ['iv', 'x'] } });
    await s.userWith({ username: 'nurse3', roles: ['nurse'], attributes: { skills: [] } });
    viewer = await s.userWith({ username: 'viewer1', roles: ['viewer'] });
    const created = await s.call('POST', '/api/v1/processes', { service: 'check' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    pid = created.body.data.pid;
  });
  after(() => s.close());

  it("answers the service's form in the request's language", async () => {
    const res = await s.callAs(nurse, 'GET', `/api/v1/processes/${pid}/form`, undefined, {
      'accept-language': 'zh-CN',
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.data.service, 'check');
    assert.equal(res.body.data.title, '检查');
    assert.deepEqual(
      res.body.data.form.map((f: { name: string; kind: string }) => [f.name, f.kind]),
      [['temp', 'decimal']],
    );
  });

  it('lists the members whose roles and skills fit the task', async () => {
    const res = await s.callAs(nurse, 'GET', `/api/v1/processes/${pid}/candidates`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const names = res.body.data.items.map((c: { username: string }) => c.username.split('@')[0]);
    assert.deepEqual(names, ['nurse1', 'nurse2']);
    assert.equal(res.body.data.total, 2);
  });

  it('refuses users without $process read and unknown processes', async () => {
    for (const path of ['form', 'candidates']) {
      const forbidden = await s.callAs(viewer, 'GET', `/api/v1/processes/${pid}/${path}`);
      assert.equal(forbidden.status, 403);
      const missing = await s.callAs(nurse, 'GET', `/api/v1/processes/not-a-uuid/${path}`);
      assert.equal(missing.status, 404);
      assert.equal(missing.body.error.code, 'KERNEL_PROCESS_NOT_FOUND');
    }
  });
});
