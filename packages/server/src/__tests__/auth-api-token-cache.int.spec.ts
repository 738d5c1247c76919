/**
 * API token lookups are cached (decision 0051): a request with a known token costs no statement of its
 * own; a revocation on this instance bites at once, one written by another instance within CACHE_MS.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PLATFORM_SCHEMA, sql } from '@tenon/db';
import { CACHE_MS } from '@tenon/identity';
import { createTestServer, type TestServer } from '../testing.ts';

describe('API token cache', () => {
  let s: TestServer;
  let t = Date.now();
  before(async () => {
    s = await createTestServer({ clock: { now: () => new Date(t) } });
    await s.define([
      {
        name: 'customer',
        label: { en: 'Customer' },
        fields: [{ name: 'name', label: { en: 'Name' }, kind: 'string' }],
      },
    ]);
  });
  after(() => s.close());

  const token = async (name: string) => {
    const res = await s.call('POST', '/api/v1/auth/tokens', { name, scopes: ['read:customer'] });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.data as { id: string; token: string };
  };

  it('a read with a known API token is one statement', async () => {
    const { token: tna } = await token('reader');
    const id = (await s.call('POST', '/api/v1/customer', { name: 'Acme' })).body.data.id as string;
    assert.equal((await s.callAs(tna, 'GET', `/api/v1/customer/${id}`)).status, 200);
    const before = s.db.statementCount();
    assert.equal((await s.callAs(tna, 'GET', `/api/v1/customer/${id}`)).status, 200);
    assert.equal(s.db.statementCount() - before, 1);
  });

  it('a revocation written elsewhere bites once the cached entry is older than CACHE_MS', async () => {
    const { token: tna, id } = await token('elsewhere');
    assert.equal((await s.callAs(tna, 'GET', '/api/v1/customer')).status, 200);
    // Another instance revokes it: this one's cache does not know yet.
    await s.db.run(
      sql`UPDATE ${sql.id(PLATFORM_SCHEMA, 'api_token')} SET revoked_at = now() WHERE id = ${id}`,
    );
    assert.equal((await s.callAs(tna, 'GET', '/api/v1/customer')).status, 200);
    t += CACHE_MS;
    const refused = await s.callAs(tna, 'GET', '/api/v1/customer');
    assert.equal(refused.status, 401);
    assert.equal(refused.body.error.code, 'AUTH_INVALID_TOKEN');
  });

  it('a revocation through this instance bites at once', async () => {
    const { token: tna, id } = await token('here');
    assert.equal((await s.callAs(tna, 'GET', '/api/v1/customer')).status, 200);
    assert.equal((await s.call('DELETE', `/api/v1/auth/tokens/${id}`)).status, 200);
    assert.equal((await s.callAs(tna, 'GET', '/api/v1/customer')).status, 401);
  });
});
