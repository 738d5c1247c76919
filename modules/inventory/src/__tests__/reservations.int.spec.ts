/**
 * Reservations under contention (meaningful on PostgreSQL, where the clients really run in
 * parallel): 64 clients reserving the last 100 units get exactly 100, every refusal a 409 with a
 * code; 32 clients on one serial: exactly one wins. Plus FEFO lots, back-orders and release.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Decimal } from '@tenon/core';
import { checkInventory, postStockMove, reserveStock } from '../index.ts';
import { type Fixture, inventoryFixture } from './harness.ts';

describe('reservations', () => {
  let f: Fixture;
  before(async () => {
    f = await inventoryFixture();
  });
  after(() => f.s.close());

  const receive = (item: string, quantity: string, extra: Record<string, string> = {}) =>
    postStockMove(f.s.db, f.schema, {
      idempotencyKey: `r-${item}-${Math.random()}`,
      moveType: 'receipt',
      warehouse: f.warehouse,
      postingDate: '2026-01-05',
      lines: [{ item, toLocation: f.bins[0]!, quantity, unitCost: '1', ...extra }],
    });
  const reserve = (item: string, body: Record<string, unknown>) =>
    f.s.call('POST', `/api/v1/item/${item}/reserve`, {
      warehouse: f.warehouse,
      sourceType: 'so',
      sourceId: 'SO-1',
      ...body,
    });

  it('64 clients on the last 100 units reserve exactly 100', async () => {
    const item = await f.item();
    await receive(item, '100');
    const client = async () => {
      const out: number[] = [];
      for (let i = 0; i < 4; i++) {
        const r = await reserve(item, { quantity: '1', sourceId: `SO-${Math.random()}` });
        if (r.status !== 200) assert.equal(r.body.error.code, 'INVENTORY_INSUFFICIENT_AVAILABLE');
        out.push(r.status);
      }
      return out;
    };
    const statuses = (await Promise.all(Array.from({ length: 64 }, client))).flat();
    assert.equal(statuses.filter((s) => s === 200).length, 100);
    assert.equal(statuses.filter((s) => s === 409).length, 156);
    const { rows } = await f.s.db.query<{ reserved: string; on_hand: string }>(
      `SELECT reserved::text AS reserved, on_hand::text AS on_hand FROM "${f.schema}".inv_stock WHERE item_id = $1`,
      [item],
    );
    assert.equal(Number(rows[0]!.reserved), 100);
    assert.equal(Number(rows[0]!.on_hand), 100);
    // Reserved stock cannot be issued to someone else.
    const issue = await postStockMove(f.s.db, f.schema, {
      idempotencyKey: `i-${item}`,
      moveType: 'issue',
      warehouse: f.warehouse,
      postingDate: '2026-01-06',
      lines: [{ item, fromLocation: f.bins[0]!, quantity: '1' }],
    }).catch((err) => err);
    assert.equal(issue.code, 'INVENTORY_INSUFFICIENT_AVAILABLE');
  });

  it('the one-statement path: 64 clients reserving outside a transaction never oversell', async () => {
    const item = await f.item();
    await receive(item, '50');
    const before = f.s.db.statementCount();
    const first = await reserveStock(f.s.db, f.schema, {
      item,
      warehouse: f.warehouse,
      quantity: '1.5',
      sourceType: 'so',
      sourceId: 'SO-ONE',
      today: '2026-01-05',
    });
    // Enough available for an untracked item: one statement, no transaction.
    assert.equal(f.s.db.statementCount() - before, 1);
    assert.deepEqual([first.reserved, first.backorder, first.reservations[0]!.quantity], ['1.5', '0', '1.5']);
    const outcomes = await Promise.all(
      Array.from({ length: 64 }, (_, i) =>
        reserveStock(f.s.db, f.schema, {
          item,
          warehouse: f.warehouse,
          quantity: '1',
          sourceType: 'so',
          sourceId: `SO-FAST-${i}`,
          today: '2026-01-05',
        }).then(
          () => 'ok',
          (err) => err.code,
        ),
      ),
    );
    assert.equal(outcomes.filter((o) => o === 'ok').length, 48);
    assert.equal(outcomes.filter((o) => o === 'INVENTORY_INSUFFICIENT_AVAILABLE').length, 16);
    const { rows } = await f.s.db.query<{ reserved: string; n: string }>(
      `SELECT s.reserved::text AS reserved, (SELECT sum(quantity)::text FROM "${f.schema}".inv_reservation r
         WHERE r.item_id = s.item_id AND r.status = 'active') AS n
       FROM "${f.schema}".inv_stock s WHERE s.item_id = $1`,
      [item],
    );
    assert.equal(rows[0]!.reserved, '49.500000000');
    assert.equal(rows[0]!.n, '49.500000000');
    // The remaining 0.5 is reserved through the full path (partial: 0.5 reserved, 0.5 back-ordered).
    const partial = await reserveStock(f.s.db, f.schema, {
      item,
      warehouse: f.warehouse,
      quantity: '1',
      sourceType: 'so',
      sourceId: 'SO-PARTIAL',
      allowPartial: true,
      today: '2026-01-05',
    });
    assert.deepEqual([partial.reserved, partial.backorder], ['0.5', '0.5']);
    assert.deepEqual((await checkInventory(f.s.db, f.schema)).drift, []);
  });

  it('combined reservations of mixed sizes reserve exactly what is there, never more', async () => {
    const item = await f.item();
    await receive(item, '10');
    // 64 concurrent requests of 3 and 1 units for 10 units: whatever is combined, the 1-unit
    // requests left out while something is left are decided by the full path.
    const outcomes = await Promise.all(
      Array.from({ length: 64 }, (_, i) =>
        reserveStock(f.s.db, f.schema, {
          item,
          warehouse: f.warehouse,
          quantity: i % 2 === 0 ? '3' : '1',
          sourceType: 'so',
          sourceId: `SO-MIX-${i}`,
          today: '2026-01-05',
        }).then(
          (r) => new Decimal(r.reserved),
          (err) => {
            assert.equal(err.code, 'INVENTORY_INSUFFICIENT_AVAILABLE');
            return new Decimal(0);
          },
        ),
      ),
    );
    const granted = outcomes.reduce((a, b) => a.plus(b), new Decimal(0));
    assert.equal(granted.toFixed(), '10');
    const { rows } = await f.s.db.query<{ reserved: string; active: string }>(
      `SELECT s.reserved::text AS reserved, (SELECT sum(quantity)::text FROM "${f.schema}".inv_reservation r
         WHERE r.item_id = s.item_id AND r.status = 'active') AS active
       FROM "${f.schema}".inv_stock s WHERE s.item_id = $1`,
      [item],
    );
    assert.equal(rows[0]!.reserved, '10.000000000');
    assert.equal(rows[0]!.active, '10.000000000');
    assert.deepEqual((await checkInventory(f.s.db, f.schema)).drift, []);
  });

  it('32 clients on one serial: exactly one reserves it', async () => {
    const item = await f.item({ tracking: 'serial' });
    const sn = (await f.create('serial_number', { serial_no: `SN-${item}`, item })).id as string;
    await receive(item, '1', { serial: sn });
    const results = await Promise.all(
      Array.from({ length: 32 }, (_, i) => reserve(item, { quantity: '1', serial: sn, sourceId: `SO-${i}` })),
    );
    assert.equal(results.filter((r) => r.status === 200).length, 1);
    for (const r of results.filter((x) => x.status !== 200)) {
      assert.equal(r.status, 409);
      assert.equal(r.body.error.code, 'INVENTORY_SERIAL_UNAVAILABLE');
    }
  });

  it('takes lots first-expiring first, back-orders the rest, releases on cancel', async () => {
    const item = await f.item({ tracking: 'lot' });
    const late = (await f.create('lot', { item, expires_on: '2027-06-01' })).id as string;
    const early = (await f.create('lot', { item, expires_on: '2027-03-01' })).id as string;
    const expired = (await f.create('lot', { item, expires_on: '2020-01-01' })).id as string;
    await receive(item, '5', { lot: late });
    await receive(item, '3', { lot: early });
    await receive(item, '9', { lot: expired });
    const r = await reserve(item, { quantity: '10', allowPartial: true, sourceId: 'SO-LOTS' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const res = r.body.data.reservation;
    assert.deepEqual(
      res.reservations.map((x: { lot: string; quantity: string }) => [x.lot, x.quantity]),
      [
        [early, '3'],
        [late, '5'],
      ],
    );
    assert.equal(res.backorder, '2');
    const refused = await reserve(item, { quantity: '1', sourceId: 'SO-MORE' });
    assert.equal(refused.status, 409);
    const released = await f.s.call('POST', `/api/v1/item/${item}/release`, {
      sourceType: 'so',
      sourceId: 'SO-LOTS',
    });
    assert.equal(released.status, 200);
    assert.equal(released.body.data.reservation.released, 2);
    assert.equal((await reserve(item, { quantity: '8', sourceId: 'SO-AGAIN' })).status, 200);
  });

  it('an issue that fulfils a reservation consumes it', async () => {
    const item = await f.item();
    await receive(item, '5');
    const r = await reserve(item, { quantity: '5', sourceId: 'SO-SHIP' });
    const id = r.body.data.reservation.reservations[0].id;
    await postStockMove(f.s.db, f.schema, {
      idempotencyKey: `ship-${item}`,
      moveType: 'issue',
      warehouse: f.warehouse,
      postingDate: '2026-01-07',
      lines: [{ item, fromLocation: f.bins[0]!, quantity: '5', reservation: id }],
    });
    assert.deepEqual((await checkInventory(f.s.db, f.schema)).drift, []);
  });

  it('rejects bad input with 400', async () => {
    const item = await f.item();
    const r = await reserve(item, { quantity: 'lots' });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, 'INVENTORY_BAD_INPUT');
  });
});
