/**
 * json fields with a JSON Schema: values checked on create and update (422 with the field's path,
 * nothing written), the schema itself checked when the entity is saved (it must compile, stay small
 * and use only patterns that cannot backtrack catastrophically).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestServer, type TestServer } from '../testing.ts';

const label = (en: string) => ({ 'zh-CN': en, en });

describe('json fields with a JSON Schema', () => {
  let s: TestServer;
  before(async () => {
    s = await createTestServer();
    await s.define([
      {
        name: 'device_profile',
        label: label('Device profile'),
        fields: [
          { name: 'code', label: label('Code'), kind: 'string', required: true },
          {
            name: 'ports',
            label: label('Ports'),
            kind: 'json',
            jsonSchema: {
              type: 'array',
              maxItems: 4,
              items: {
                type: 'object',
                required: ['name'],
                additionalProperties: false,
                properties: { name: { type: 'string', pattern: '^[A-Z][0-9]$' }, speed: { type: 'integer' } },
              },
            },
          },
        ],
      },
    ]);
  });
  after(() => s.close());

  const count = async () => (await s.call('GET', '/api/v1/device_profile')).body.data.items.length as number;

  it('accepts a value that matches and refuses one that does not, naming the path, writing nothing', async () => {
    const good = await s.call('POST', '/api/v1/device_profile', {
      code: 'A',
      ports: [{ name: 'P1', speed: 10 }],
    });
    assert.equal(good.status, 201, JSON.stringify(good.body));
    const bad = await s.call(
      'POST',
      '/api/v1/device_profile',
      { code: 'B', ports: [{ name: 'p1' }, { speed: 'fast' }] },
      { 'accept-language': 'en' },
    );
    assert.equal(bad.status, 422, JSON.stringify(bad.body));
    const fields = bad.body.error.details.map((d: { field: string }) => d.field);
    assert.ok(fields.includes('ports.0.name'), JSON.stringify(fields));
    assert.ok(fields.includes('ports.1.name'), JSON.stringify(fields));
    assert.equal(await count(), 1);
    const patch = await s.call('PATCH', `/api/v1/device_profile/${good.body.data.id}`, {
      ports: [{ name: 'P1' }, { name: 'P2' }, { name: 'P3' }, { name: 'P4' }, { name: 'P5' }],
    });
    assert.equal(patch.status, 422, JSON.stringify(patch.body));
  });

  it('refuses a schema that does not compile or has a risky pattern when the entity is saved', async () => {
    const save = (jsonSchema: unknown) =>
      s.call('POST', '/api/v1/meta/entities', {
        name: `bad_${Math.random().toString(36).slice(2, 8)}`,
        label: label('Bad'),
        fields: [{ name: 'data', label: label('Data'), kind: 'json', jsonSchema }],
      });
    for (const schema of [
      { type: 'no-such-type' },
      { type: 'string', pattern: '(a+)+$' },
      { type: 'object', patternProperties: { '^(a|a)*$': {} } },
      { $ref: 'http://example.com/schema' },
      'not an object',
    ]) {
      const res = await save(schema);
      assert.equal(res.status, 422, `${JSON.stringify(schema)} -> ${JSON.stringify(res.body)}`);
      assert.ok(
        res.body.error.details.some((d: { field: string }) => d.field.endsWith('jsonSchema')),
        JSON.stringify(res.body.error.details),
      );
    }
  });

  it("keeps resources' calendars in shape (the kernel's resource entity)", async () => {
    const bad = await s.call('POST', '/api/v1/resource', {
      code: 'ROOM-X',
      name: 'Room X',
      type: 'room',
      calendar: { timeZone: 'Asia/Shanghai', weekly: { mon: ['09:00-18:00'] } },
    });
    assert.equal(bad.status, 422, JSON.stringify(bad.body));
    const good = await s.call('POST', '/api/v1/resource', {
      code: 'ROOM-Y',
      name: 'Room Y',
      type: 'room',
      calendar: {
        timeZone: 'Asia/Shanghai',
        weekly: {
          mon: [
            ['09:00', '12:00'],
            ['13:00', '24:00'],
          ],
        },
      },
    });
    assert.equal(good.status, 201, JSON.stringify(good.body));
  });
});
