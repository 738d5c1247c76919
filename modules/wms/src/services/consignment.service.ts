/**
 * Consignment (VMI): stock received under an active consignment agreement stays the supplier's. It
 * enters inventory at zero value (on hand and pickable, outside our valuation) and a `receipt` entry
 * records the supplier's ownership; consuming it (shipping, or a reconciliation that finds fewer
 * units on hand than the supplier owns) records `consumption` entries at the agreed price, which
 * purchasing turns into a payable. Inventory's ledger is never touched beyond its own postings
 * (decision 0066).
 */
import { AppError, Decimal, Money } from '@tenon/core';
import { sql } from '@tenon/db';
import type { RecordData } from '@tenon/design';
import { WmsErrors } from '../domain/errors.ts';
import { createIn, patchIn, reload, requireStatus, rows, type Scope, t } from './records.ts';

type Agreement = { id: string; supplier: string; agreed_price: string | null; currency: string | null };

/** The active consignment agreement of a supplier, item and warehouse, if any. */
export async function consignmentAgreement(
  s: Scope,
  k: { supplier: string; item: string; warehouse: string },
): Promise<Agreement | undefined> {
  const found = await rows<Agreement>(
    s,
    sql`SELECT id, supplier, trim_scale(agreed_price)::text AS agreed_price, currency FROM ${t(s, 'vmi_agreement')}
        WHERE supplier = ${k.supplier}::uuid AND item = ${k.item}::uuid AND warehouse = ${k.warehouse}::uuid
          AND consignment AND active IS NOT FALSE ORDER BY code LIMIT 1`,
  );
  return found[0];
}

export async function recordConsignedReceipt(
  s: Scope,
  input: { agreement: Agreement; item: string; warehouse: string; quantity: string; sourceId: string },
): Promise<void> {
  await createIn(s, 'consignment_entry', {
    agreement: input.agreement.id,
    supplier: input.agreement.supplier,
    item: input.item,
    warehouse: input.warehouse,
    kind: 'receipt',
    quantity: input.quantity,
    unit_price: input.agreement.agreed_price,
    currency: input.agreement.currency ?? 'CNY',
    source_type: 'goods_receipt',
    source_id: input.sourceId,
  });
}

type Owned = Agreement & { owned: string };

/** Supplier-owned quantity per consignment agreement of an item in a warehouse, agreements locked. */
async function ownedOf(s: Scope, item: string, warehouse: string): Promise<Owned[]> {
  return rows<Owned>(
    s,
    sql`SELECT a.id, a.supplier, trim_scale(a.agreed_price)::text AS agreed_price, a.currency,
          coalesce((SELECT sum(CASE WHEN e.kind = 'receipt' THEN e.quantity ELSE -e.quantity END)
                    FROM ${t(s, 'consignment_entry')} e WHERE e.agreement = a.id), 0)::text AS owned
        FROM ${t(s, 'vmi_agreement')} a
        WHERE a.item = ${item}::uuid AND a.warehouse = ${warehouse}::uuid AND a.consignment
        ORDER BY a.code FOR UPDATE OF a`,
  );
}

/**
 * Consigned units are used first: `quantity` units of the item leaving the warehouse consume the
 * supplier-owned ones (oldest agreement first) and record what we owe. Returns the quantity consumed.
 */
export async function consumeConsigned(
  s: Scope,
  input: { item: string; warehouse: string; quantity: Decimal; sourceType: string; sourceId: string },
): Promise<Decimal> {
  let left = input.quantity;
  for (const a of await ownedOf(s, input.item, input.warehouse)) {
    const q = Decimal.min(left, a.owned);
    if (q.lte(0)) continue;
    left = left.minus(q);
    const currency = a.currency ?? 'CNY';
    await createIn(s, 'consignment_entry', {
      agreement: a.id,
      supplier: a.supplier,
      item: input.item,
      warehouse: input.warehouse,
      kind: 'consumption',
      quantity: q.toFixed(),
      unit_price: a.agreed_price,
      amount: a.agreed_price ? Money.of(a.agreed_price, currency).mul(q).round().toString() : null,
      currency,
      source_type: input.sourceType,
      source_id: input.sourceId,
    });
  }
  return input.quantity.minus(left);
}

/**
 * Units that left by other ways (an inventory issue, a count): where the warehouse holds fewer units
 * of an item than suppliers own there, the difference was consumed. Returns the entries' quantities.
 */
export async function reconcileConsignment(
  s: Scope,
  warehouse: string,
  reference: string,
): Promise<{ item: string; consumed: string }[]> {
  const items = await rows<{ item: string; owned: string; on_hand: string }>(
    s,
    sql`SELECT e.item, sum(CASE WHEN e.kind = 'receipt' THEN e.quantity ELSE -e.quantity END)::text AS owned,
          coalesce((SELECT st.on_hand FROM ${t(s, 'inv_stock')} st
                    WHERE st.item_id = e.item AND st.warehouse_id = ${warehouse}::uuid), 0)::text AS on_hand
        FROM ${t(s, 'consignment_entry')} e WHERE e.warehouse = ${warehouse}::uuid
        GROUP BY e.item ORDER BY e.item`,
  );
  const out: { item: string; consumed: string }[] = [];
  for (const i of items) {
    const gone = new Decimal(i.owned).minus(Decimal.max(i.on_hand, 0));
    if (gone.lte(0)) continue;
    const consumed = await consumeConsigned(s, {
      item: i.item,
      warehouse,
      quantity: gone,
      sourceType: 'reconciliation',
      sourceId: reference,
    });
    out.push({ item: i.item, consumed: consumed.toFixed() });
  }
  return out;
}

/** Consigned units of a receipt that go back to the supplier (a rejected quality hold): no payable. */
export async function returnConsigned(s: Scope, receipt: RecordData): Promise<void> {
  const entry = await rows<{
    agreement: string;
    supplier: string;
    item: string;
    warehouse: string;
    quantity: string;
  }>(
    s,
    sql`SELECT agreement, supplier, item, warehouse, quantity::text AS quantity FROM ${t(s, 'consignment_entry')}
        WHERE kind = 'receipt' AND source_type = 'goods_receipt' AND source_id = ${receipt.id as string}`,
  );
  if (!entry[0]) return;
  await createIn(s, 'consignment_entry', {
    ...entry[0],
    kind: 'return',
    source_type: 'goods_receipt',
    source_id: receipt.id as string,
  });
}

/** A consumption handed to purchasing as a payable. */
export async function billConsumption(s: Scope, entry: RecordData): Promise<RecordData> {
  requireStatus('consignment_entry', entry, ['recorded'], 'bill');
  if (entry.kind !== 'consumption')
    throw new AppError(WmsErrors.WMS_BAD_STATE, {
      entity: 'consignment_entry',
      status: 'receipt',
      action: 'bill',
    });
  await patchIn(s, 'consignment_entry', entry.id as string, { status: 'billed' });
  return reload(s, 'consignment_entry', entry.id as string);
}
