/**
 * The sign-in log (tenon.auth_event) and a tenant's audit log (_audit) are ledgers: rows are
 * appended by the API, and UPDATE, DELETE and TRUNCATE are refused by the database itself.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestServer, type TestServer } from '../testing.ts';

describe('append-only logs', () => {
  let s: TestServer;
  let audit: string;
  let userId: string;
  before(async () => {
    s = await createTestServer();
    audit = `"${s.tenant.schemaName}"._audit`;
    await s.define([
      {
        name: 'customer',
        label: { en: 'Customer' },
        fields: [{ name: 'name', label: { en: 'Name' }, kind: 'string' }],
      },
    ]);
    const me = await s.call('GET', '/api/v1/auth/me');
    userId = me.body.data.user.id;
  });
  after(() => s.close());

  /** Runs `statement` in a transaction that is rolled back in any case, so a broken guard destroys nothing. */
  const attempt = (statement: string, params: unknown[] = []) =>
    s.db.transaction(async (tx) => {
      await tx.query(statement, params);
      throw new Error('ROLLED BACK: the statement was allowed');
    });

  const authEvents = async () =>
    (
      await s.db.query<{ id: string; event: string }>(
        `SELECT id, event FROM tenon.auth_event WHERE user_id = $1 ORDER BY at, id`,
        [userId],
      )
    ).rows;

  it('sign-ins and sign-outs are appended to the sign-in log', async () => {
    const before = (await authEvents()).length;
    const res = await s.callAs(null, 'POST', '/api/v1/auth/login', {
      username: `admin@${s.tenant.name}`,
      password: 'admin-password-1',
    });
    assert.equal(res.status, 200);
    await s.callAs(res.body.data.accessToken, 'POST', '/api/v1/auth/logout');
    const events = await authEvents();
    assert.equal(events.length, before + 2);
    assert.deepEqual(
      events.slice(-2).map((e) => e.event),
      ['login', 'logout'],
    );
  });

  it('tenon.auth_event refuses UPDATE, DELETE and TRUNCATE', async () => {
    const events = await authEvents();
    const target = events[0]!;
    await assert.rejects(
      attempt(`UPDATE tenon.auth_event SET event = 'nothing_happened' WHERE id = $1`, [target.id]),
      /append-only/,
    );
    await assert.rejects(attempt(`DELETE FROM tenon.auth_event WHERE id = $1`, [target.id]), /append-only/);
    await assert.rejects(attempt(`TRUNCATE tenon.auth_event`), /append-only/);
    // Also outside an explicit transaction.
    await assert.rejects(
      s.db.query(`DELETE FROM tenon.auth_event WHERE id = $1`, [target.id]),
      /append-only/,
    );
    assert.deepEqual(await authEvents(), events);
  });

  it("the tenant's _audit refuses UPDATE, DELETE and TRUNCATE", async () => {
    const created = await s.call('POST', '/api/v1/customer', { name: 'Acme' });
    assert.equal(created.status, 201);
    await s.call('PATCH', `/api/v1/customer/${created.body.data.id}`, { name: 'Acme Ltd' });
    const read = async () =>
      (
        await s.db.query<{ id: string; action: string }>(
          `SELECT id, action, changes FROM ${audit} ORDER BY at, id`,
        )
      ).rows;
    const rows = await read();
    assert.ok(rows.length >= 2, JSON.stringify(rows));
    const target = rows[0]!;
    await assert.rejects(
      attempt(`UPDATE ${audit} SET action = 'nothing' WHERE id = $1`, [target.id]),
      /append-only/,
    );
    await assert.rejects(attempt(`UPDATE ${audit} SET changes = NULL`), /append-only/);
    await assert.rejects(attempt(`DELETE FROM ${audit} WHERE id = $1`, [target.id]), /append-only/);
    await assert.rejects(attempt(`TRUNCATE ${audit}`), /append-only/);
    await assert.rejects(s.db.query(`DELETE FROM ${audit}`), /append-only/);
    assert.deepEqual(await read(), rows);
  });

  it('control: a statement the guard lets through (no row) reaches the rollback', async () => {
    await assert.rejects(
      attempt(`UPDATE tenon.auth_event SET event = 'x' WHERE id = '00000000-0000-7000-8000-000000000000'`),
      /ROLLED BACK/,
    );
  });
});
