/**
 * Design objects besides entities: validated by their kind, versioned with history, optimistic
 * locking by If-Match, dry runs that write nothing, and `$meta` permissions.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ObjectKindRegistry } from '@tenon/design';
import { createTestServer, type TestServer } from '../testing.ts';

/** A small kind for the test: a named checklist with at least one step. */
function checklistKinds(): ObjectKindRegistry {
  const kinds = new ObjectKindRegistry();
  kinds.register({
    kind: 'checklist',
    label: { 'zh-CN': '检查单', en: 'Checklist' },
    check(input) {
      const value = input as { name?: unknown; steps?: unknown };
      const errors = [];
      if (typeof value.name !== 'string' || !/^[a-z][a-z0-9_]*$/.test(value.name)) {
        errors.push({ field: 'name', code: 'pattern', message: 'name must be snake_case' });
      }
      if (!Array.isArray(value.steps) || value.steps.length === 0) {
        errors.push({ field: 'steps', code: 'required', message: 'at least one step' });
      }
      if (errors.length > 0) return { errors };
      return { value: { name: value.name as string, steps: value.steps as unknown[] } };
    },
  });
  return kinds;
}

describe('meta objects API', () => {
  let s: TestServer;
  let changes = 0;
  before(async () => {
    const kinds = checklistKinds();
    kinds.onChanged(() => changes++);
    s = await createTestServer({ objectKinds: kinds });
    changes = 0; // the kernel's own objects (built-in resource types) were saved at setup
  });
  after(() => s.close());

  it('lists the registered kinds with labels', async () => {
    const res = await s.call('GET', '/api/v1/meta/kinds', undefined, { 'accept-language': 'en' });
    assert.equal(res.status, 200);
    assert.deepEqual(
      res.body.data.items.map((k: { kind: string; title: string }) => [k.kind, k.title]),
      [
        ['checklist', 'Checklist'],
        ['service', 'Service'],
        ['resource_type', 'Resource type'],
        ['rule', 'Rule'],
      ],
    );
  });

  it('creates, versions, conflicts on a stale If-Match, and keeps the history', async () => {
    const dry = await s.call('POST', '/api/v1/meta/objects/checklist?dryRun=true', {
      name: 'opening',
      steps: ['a'],
    });
    assert.equal(dry.status, 200);
    assert.equal((await s.call('GET', '/api/v1/meta/objects/checklist/opening')).status, 404);

    const created = await s.call('POST', '/api/v1/meta/objects/checklist', { name: 'opening', steps: ['a'] });
    assert.equal(created.status, 201);
    assert.equal(created.body.data.version, 1);
    assert.equal(changes, 1);
    const again = await s.call('POST', '/api/v1/meta/objects/checklist', { name: 'opening', steps: ['b'] });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'META_OBJECT_EXISTS');

    const updated = await s.call(
      'PUT',
      '/api/v1/meta/objects/checklist/opening',
      { steps: ['a', 'b'] },
      { 'if-match': '"1"' },
    );
    assert.equal(updated.status, 200);
    assert.equal(updated.body.data.version, 2);
    assert.equal(updated.headers.etag, '"2"');
    const stale = await s.call(
      'PUT',
      '/api/v1/meta/objects/checklist/opening',
      { steps: ['c'] },
      { 'if-match': '"1"' },
    );
    assert.equal(stale.status, 412);
    assert.equal(stale.body.error.code, 'META_OBJECT_VERSION_CONFLICT');

    const history = await s.call('GET', '/api/v1/meta/objects/checklist/opening/history');
    assert.deepEqual(
      history.body.data.items.map((h: { version: number }) => h.version),
      [2, 1],
    );
    const removed = await s.call('DELETE', '/api/v1/meta/objects/checklist/opening');
    assert.equal(removed.status, 200);
    assert.equal((await s.call('GET', '/api/v1/meta/objects/checklist/opening')).status, 404);
    assert.equal(
      (await s.call('GET', '/api/v1/meta/objects/checklist/opening/history')).body.data.items.length,
      3,
    );
  });

  it('refuses an invalid definition with field details and an unknown kind with 404', async () => {
    const bad = await s.call('POST', '/api/v1/meta/objects/checklist', { name: 'Bad Name', steps: [] });
    assert.equal(bad.status, 422);
    assert.equal(bad.body.error.code, 'META_OBJECT_INVALID');
    assert.deepEqual(
      bad.body.error.details.map((d: { field: string }) => d.field),
      ['name', 'steps'],
    );
    const unknown = await s.call('GET', '/api/v1/meta/objects/spaceship');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, 'META_OBJECT_KIND_UNKNOWN');
  });

  it('needs $meta permissions', async () => {
    const token = await s.userWith({ username: 'clerk', roles: [] });
    const read = await s.callAs(token, 'GET', '/api/v1/meta/objects/checklist');
    assert.equal(read.status, 403);
    const write = await s.callAs(token, 'POST', '/api/v1/meta/objects/checklist', {
      name: 'x',
      steps: ['a'],
    });
    assert.equal(write.status, 403);
  });
});
