/** Pure pieces of event delivery: retry delays, live notification decoding, webhook definitions. */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { decodeLive, retryDelayMs } from '../delivery-policy.ts';
import { checkWebhookInput, signBody } from '../webhooks/webhook-rules.ts';

describe('retry delays', () => {
  const backoff = { baseMs: 1000, maxMs: 60_000 };
  it('doubles per attempt with half of it random, and is capped', () => {
    assert.deepEqual(
      [1, 2, 3, 4].map((n) => retryDelayMs(n, backoff, () => 0)),
      [500, 1000, 2000, 4000],
    );
    assert.deepEqual(
      [1, 2, 3, 4].map((n) => retryDelayMs(n, backoff, () => 1)),
      [1000, 2000, 4000, 8000],
    );
    assert.equal(
      retryDelayMs(30, backoff, () => 1),
      60_000,
    );
    assert.equal(
      retryDelayMs(30, backoff, () => 0),
      30_000,
    );
  });
});

describe('live notifications', () => {
  it('decodes the compact form and ignores anything else', () => {
    const wire = {
      i: '7',
      s: 't_a',
      t: 'record.created',
      e: 'ticket',
      r: 'r1',
      p: { x: 1 },
      a: '2026-05-01T00:00:00.000Z',
    };
    assert.deepEqual(decodeLive(JSON.stringify(wire)), {
      schema: 't_a',
      event: { topic: 'record.created', entity: 'ticket', recordId: 'r1', payload: { x: 1 }, at: wire.a },
    });
    assert.equal(decodeLive('not json'), null);
    assert.equal(decodeLive(JSON.stringify({ t: 'x' })), null);
    assert.deepEqual(decodeLive(JSON.stringify({ ...wire, p: null }))?.event.payload, {});
  });
});

describe('webhook definitions', () => {
  const valid = { name: ' Orders ', url: 'https://example.com/hook', topics: ['record.created', '*'] };
  it('accepts a valid definition with defaults', () => {
    assert.deepEqual(checkWebhookInput(valid), {
      value: { name: 'Orders', url: valid.url, topics: ['record.created', '*'], entity: null, active: true },
    });
  });
  it('names each bad field', () => {
    const result = checkWebhookInput({
      name: 'x'.repeat(101),
      url: 'javascript:alert(1)',
      topics: 'record.created',
      entity: 'Bad-Entity',
      active: 'yes',
      secret: 'short',
      extra: 1,
    });
    assert.ok('errors' in result);
    assert.deepEqual(result.errors.map((e) => e.field).sort(), [
      'active',
      'entity',
      'extra',
      'name',
      'secret',
      'topics',
      'url',
    ]);
    assert.ok('errors' in checkWebhookInput(null));
    assert.ok('errors' in checkWebhookInput([]));
  });
  it('applies a change over the current definition', () => {
    const current = { name: 'A', url: 'http://a.test/', topics: [], entity: 'ticket', active: true };
    assert.deepEqual(checkWebhookInput({ active: false }, current), { value: { ...current, active: false } });
  });
  it('signs the exact body bytes', () => {
    const body = '{"a":"é"}';
    assert.equal(
      signBody('k'.repeat(16), body),
      `sha256=${createHmac('sha256', 'k'.repeat(16)).update(body).digest('hex')}`,
    );
    assert.notEqual(signBody('k'.repeat(16), body), signBody('k'.repeat(16), `${body} `));
  });
});
