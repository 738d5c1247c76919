import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isUuidV7, newId } from '../ids.ts';

describe('newId', () => {
  it('makes valid, unique, strictly increasing UUIDv7s, also many within one millisecond', () => {
    const ids = Array.from({ length: 20_000 }, () => newId());
    for (const id of ids.slice(0, 100)) assert.ok(isUuidV7(id), id);
    assert.equal(new Set(ids).size, ids.length);
    for (let i = 1; i < ids.length; i++) assert.ok(ids[i - 1]! < ids[i]!, `${ids[i - 1]} < ${ids[i]}`);
  });

  it('carries the current time in its first 48 bits', () => {
    const before = Date.now();
    const id = newId();
    const msecs = Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16);
    assert.ok(msecs >= before && msecs <= Date.now() + 1, `${msecs} vs ${before}`);
  });

  it('draws fresh random bits for each id', () => {
    // The last 8 bytes (after the variant) are random in every id: no two of 5,000 share them.
    const tails = new Set(Array.from({ length: 5000 }, () => newId().slice(-12)));
    assert.equal(tails.size, 5000);
  });
});
