/** The `service` design object through the meta API: names from Chinese labels, references, cycles, forms. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fixedClock } from '@tenon/core';
import { label, type ProcessHarness, processHarness } from './harness.ts';

type Fail = { error: { code: string; details: { field: string; code: string }[] } };

describe('service kind', () => {
  let h: ProcessHarness;
  const post = (body: unknown) => h.s.call('POST', '/api/v1/meta/objects/service', body);
  const fields = (res: { body: unknown }) =>
    (res.body as Fail).error.details.map((d) => `${d.field}:${d.code}`).sort();

  before(async () => {
    h = await processHarness(fixedClock('2026-02-01T00:00:00.000Z'));
    await h.s.define([
      {
        name: 'patient',
        label: label('Patient'),
        fields: [{ name: 'n', label: label('N'), kind: 'string' }],
      },
    ]);
  });
  after(() => h.s.close());

  it('derives the name from the Chinese label, unique among services', async () => {
    const a = await post({
      label: { 'zh-CN': '激光治疗', en: 'Laser treatment' },
      bindsTo: 'patient',
      slaMinutes: 60,
    });
    assert.equal(a.status, 201, JSON.stringify(a.body));
    assert.equal((a.body.data as { name: string }).name, 'ji_guang_zhi_liao');
    const b = await post({ label: { 'zh-CN': '激光治疗' } });
    assert.equal((b.body.data as { name: string }).name, 'ji_guang_zhi_liao_2');
  });

  it('refuses bad shapes and unknown references with field details', async () => {
    const res = await post({
      name: 'bad',
      label: {},
      bindsTo: 'nothing',
      priority: 101,
      skills: ['Not A Name'],
      resources: [{ type: 'laser', quantity: 0 }],
      form: [
        { name: 'x', label: label('X'), kind: 'float' },
        { name: 'x', label: label('X'), kind: 'select' },
      ],
      steps: { mode: 'sequence', services: ['ghost'] },
      colour: 'red',
    });
    assert.equal(res.status, 422);
    assert.deepEqual(fields(res), [
      'bindsTo:unknown_entity',
      'colour:unknown',
      'form.0.kind:kind',
      'form.1.name:duplicate',
      'form.1.options:options',
      'label:label',
      'priority:range',
      'resources.0.quantity:range',
      'resources.0.type:unknown_resource_type',
      'skills:type',
      'steps.services.0:unknown_service',
    ]);
  });

  it('refuses a service that would contain itself through its steps', async () => {
    assert.equal((await post({ name: 'a', label: label('A') })).status, 201);
    assert.equal(
      (await post({ name: 'b', label: label('B'), steps: { mode: 'parallel', services: ['a'] } })).status,
      201,
    );
    const cycle = await h.s.call('PUT', '/api/v1/meta/objects/service/a', {
      label: label('A'),
      steps: { mode: 'sequence', services: ['b'] },
    });
    assert.equal(cycle.status, 422, JSON.stringify(cycle.body));
    assert.deepEqual(fields(cycle), ['steps.services:cycle']);
    const self = await post({ name: 'c', label: label('C'), steps: { mode: 'sequence', services: ['c'] } });
    assert.deepEqual(fields(self), ['steps.services:cycle']);
  });
});
