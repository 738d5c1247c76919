/**
 * Posting through the stock_move document and its actions: receipt, issue, transfer, refusals
 * (409 with a code, nothing written), idempotent replays, cancel = reversing move, serials in
 * one place at a time, FIFO and moving-average values, and the consistency check.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { checkInventory, inventoryCheckCommand, postStockMove, stockValueAsOf } from '../index.ts';
import { type Fixture, inventoryFixture } from './harness.ts';

describe('posting stock moves', () => {
  let f: Fixture;
  let widget: string;
  before(async () => {
    f = await inventoryFixture();
    widget = await f.item();
  });
  after(() => f.s.close());

  const move = async (move_type: string, lines: Record<string, unknown>[], posting_date = '2026-01-10') => {
    const doc = await f.create('stock_move', { move_type, warehouse: f.warehouse, posting_date, lines });
    return f.s.call('POST', `/api/v1/stock_move/${doc.id}/post`, {});
  };
  const balance = async (item: string, location: string) => {
    const { rows } = await f.s.db.query<{ on_hand: string }>(
      `SELECT on_hand::text AS on_hand FROM "${f.schema}".inv_balance WHERE item_id = $1 AND location_id = $2`,
      [item, location],
    );
    return rows[0]?.on_hand ?? '0';
  };

  it('receives, issues by FIFO and transfers', async () => {
    let r = await move('receipt', [
      { item: widget, to_location: f.bins[0], quantity: '10', unit_cost: '2.00' },
    ]);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.data.status, 'posted');
    r = await move(
      'receipt',
      [{ item: widget, to_location: f.bins[0], quantity: '10', unit_cost: '3.00' }],
      '2026-01-11',
    );
    assert.equal(r.status, 200);
    r = await move('issue', [{ item: widget, from_location: f.bins[0], quantity: '15' }], '2026-01-12');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(Number(await balance(widget, f.bins[0]!)), 5);
    r = await move(
      'transfer',
      [{ item: widget, from_location: f.bins[0], to_location: f.bins[1], quantity: '5' }],
      '2026-01-12',
    );
    assert.equal(r.status, 200);
    assert.equal(Number(await balance(widget, f.bins[1]!)), 5);
    const value = await stockValueAsOf(f.s.db, f.schema, { asOf: '2026-01-12' });
    // 10 @ 2 + 10 @ 3 - (10 @ 2 + 5 @ 3) = 15
    assert.equal(Number(value.find((v) => v.item === widget)!.value), 15);
    const lastWeek = await stockValueAsOf(f.s.db, f.schema, { asOf: '2026-01-10' });
    assert.equal(Number(lastWeek.find((v) => v.item === widget)!.value), 20);
  });

  it('refuses an issue beyond on-hand with 409 and writes nothing', async () => {
    const before = await f.s.db.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM "${f.schema}".inv_ledger`,
    );
    const r = await move('issue', [{ item: widget, from_location: f.bins[1], quantity: '6' }]);
    assert.equal(r.status, 409);
    assert.equal(r.body.error.code, 'INVENTORY_INSUFFICIENT_STOCK');
    const after = await f.s.db.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM "${f.schema}".inv_ledger`,
    );
    assert.equal(after.rows[0]!.n, before.rows[0]!.n);
  });

  it('refuses invalid lines with 422', async () => {
    const r = await move('receipt', [
      { item: widget, from_location: f.bins[0], to_location: f.bins[1], quantity: '1' },
    ]);
    assert.equal(r.status, 422);
    assert.equal(r.body.error.code, 'INVENTORY_INVALID_MOVE');
  });

  it('replays an idempotency key without posting twice', async () => {
    const input = {
      idempotencyKey: 'grn-42',
      moveType: 'receipt' as const,
      warehouse: f.warehouse,
      postingDate: '2026-01-13',
      lines: [{ item: widget, toLocation: f.bins[2], quantity: '1', unitCost: '4' }],
    };
    const a = await postStockMove(f.s.db, f.schema, input);
    const b = await postStockMove(f.s.db, f.schema, input);
    assert.equal(a.moveId, b.moveId);
    assert.equal(b.replayed, true);
    assert.equal(await balance(widget, f.bins[2]!), '1.000000000');
  });

  it('cancels a move by posting its reversal; a second cancel is refused', async () => {
    const doc = await f.create('stock_move', {
      move_type: 'receipt',
      warehouse: f.warehouse,
      posting_date: '2026-01-14',
      lines: [{ item: widget, to_location: f.bins[2], quantity: '3', unit_cost: '5' }],
    });
    assert.equal((await f.s.call('POST', `/api/v1/stock_move/${doc.id}/post`, {})).status, 200);
    assert.equal(Number(await balance(widget, f.bins[2]!)), 4);
    const c = await f.s.call('POST', `/api/v1/stock_move/${doc.id}/cancel`, {});
    assert.equal(c.status, 200, JSON.stringify(c.body));
    assert.equal(c.body.data.status, 'cancelled');
    assert.equal(Number(await balance(widget, f.bins[2]!)), 1);
    assert.equal((await f.s.call('POST', `/api/v1/stock_move/${doc.id}/cancel`, {})).status, 409);
    const patch = await f.s.call(
      'PATCH',
      `/api/v1/stock_move/${doc.id}`,
      { status: 'draft' },
      { 'if-match': '*' },
    );
    assert.ok(patch.status >= 400, 'status is owned by the actions');
  });

  it('keeps a serial in one place with quantity 1', async () => {
    const phone = await f.item({ tracking: 'serial' });
    const sn = (await f.create('serial_number', { serial_no: 'SN-1', item: phone })).id;
    assert.equal(
      (
        await move('receipt', [
          { item: phone, serial: sn, to_location: f.bins[0], quantity: '1', unit_cost: '100' },
        ])
      ).status,
      200,
    );
    const twice = await move('receipt', [
      { item: phone, serial: sn, to_location: f.bins[1], quantity: '1', unit_cost: '100' },
    ]);
    assert.equal(twice.status, 409);
    assert.equal(twice.body.error.code, 'INVENTORY_SERIAL_UNAVAILABLE');
    const two = await move('receipt', [
      { item: phone, serial: sn, to_location: f.bins[1], quantity: '2', unit_cost: '100' },
    ]);
    assert.equal(two.status, 422);
    const wrongPlace = await move('transfer', [
      { item: phone, serial: sn, from_location: f.bins[2], to_location: f.bins[1], quantity: '1' },
    ]);
    assert.equal(wrongPlace.status, 409);
    assert.equal(
      (
        await move('transfer', [
          { item: phone, serial: sn, from_location: f.bins[0], to_location: f.bins[1], quantity: '1' },
        ])
      ).status,
      200,
    );
  });

  it('the database refuses a serial in stock in two places, also from two receipts at once', async () => {
    const phone = await f.item({ tracking: 'serial' });
    const sn = (await f.create('serial_number', { serial_no: 'SN-RACE', item: phone })).id;
    const receipts = await Promise.allSettled(
      [f.bins[0], f.bins[1]].map((bin, i) =>
        postStockMove(f.s.db, f.schema, {
          idempotencyKey: `serial-race-${i}`,
          moveType: 'receipt',
          warehouse: f.warehouse,
          postingDate: '2026-01-10',
          lines: [{ item: phone, serial: sn, toLocation: bin!, quantity: '1', unitCost: '100' }],
        }),
      ),
    );
    assert.equal(receipts.filter((r) => r.status === 'fulfilled').length, 1);
    const inStock = await f.s.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "${f.schema}".inv_balance WHERE serial_id = $1 AND on_hand <> 0`,
      [sn],
    );
    assert.equal(inStock.rows[0]?.n, 1);
    // The guard is the database's own, whatever the code above it checks.
    await assert.rejects(
      f.s.db.query(
        `INSERT INTO "${f.schema}".inv_balance (item_id, location_id, lot_id, serial_id, warehouse_id, on_hand)
         VALUES ($1, $2, '00000000-0000-0000-0000-000000000000', $3, $4, 1)`,
        [phone, f.bins[2], sn, f.warehouse],
      ),
      (err: { code?: string }) => err.code === '23505',
    );
  });

  it('updates balances in place (HOT): no index reads the quantity', async () => {
    const { rows } = await f.s.db.query<{ indexdef: string }>(
      `SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = 'inv_balance'`,
      [f.schema],
    );
    assert.ok(rows.length > 0);
    for (const r of rows) assert.ok(!r.indexdef.includes('on_hand'), r.indexdef);
  });

  it('values a moving-average item', async () => {
    const bolt = await f.item({ valuation_method: 'moving_average' });
    await move('receipt', [{ item: bolt, to_location: f.bins[0], quantity: '3', unit_cost: '1' }]);
    await move('receipt', [{ item: bolt, to_location: f.bins[0], quantity: '1', unit_cost: '2' }]);
    await move('issue', [{ item: bolt, from_location: f.bins[0], quantity: '2' }]);
    const { rows } = await f.s.db.query<{ value: string }>(
      `SELECT value::text AS value FROM "${f.schema}".inv_valuation WHERE item_id = $1`,
      [bolt],
    );
    assert.equal(Number(rows[0]!.value), 2.5); // 5 - 2 × 1.25
  });

  it('finds no drift and refuses to edit the ledger', async () => {
    const report = await checkInventory(f.s.db, f.schema);
    assert.deepEqual(report.drift, []);
    await assert.rejects(f.s.db.query(`UPDATE "${f.schema}".inv_ledger SET quantity = 0`), /append-only/);
  });

  it('reports drift when a stored balance disagrees with the ledger', async () => {
    await f.s.db.query(`UPDATE "${f.schema}".inv_balance SET on_hand = on_hand + 1 WHERE location_id = $1`, [
      f.bins[2],
    ]);
    const lines: string[] = [];
    const drifts = await inventoryCheckCommand(f.s.db, [f.s.tenant], (l) => lines.push(l));
    assert.equal(drifts, 1, lines.join('\n'));
    assert.match(lines.join('\n'), /balance .* ledger says/);
    await f.s.db.query(`UPDATE "${f.schema}".inv_balance SET on_hand = on_hand - 1 WHERE location_id = $1`, [
      f.bins[2],
    ]);
    assert.equal(await inventoryCheckCommand(f.s.db, [f.s.tenant], () => {}), 0);
  });
});
