/**
 * The posting core shared by posting and reversing: given checked location deltas and their values,
 * lock stock/balance/valuation rows in key order, refuse negative stock where forbidden, update
 * balances and append the ledger. Runs inside the caller's transaction.
 */
import { AppError, Decimal } from '@tenon/core';
import type { Executor } from '@tenon/db';
import { lockOrder } from '../domain/plan-move.ts';
import { InventoryErrors } from '../errors.ts';
import { addBalancesAndStock } from '../repositories/bulk-stock.repository.ts';
import {
  appendLedger,
  balanceKey,
  type LedgerRow,
  lockBalances,
  lockStock,
} from '../repositories/stock.repository.ts';

export type ValuedDelta = Omit<
  LedgerRow,
  'moveType' | 'postingDate' | 'sourceType' | 'sourceId' | 'moveId'
> & {
  /** Reservation consumed by this outgoing row (its quantity leaves `reserved`). */
  reservedConsumed?: Decimal;
};

const isUniqueOrCheck = (err: unknown) =>
  typeof err === 'object' &&
  err !== null &&
  ['23505', '23514'].includes((err as { code?: string }).code ?? '');

/** Locks every row the deltas touch; returns the locked stock rows for availability checks. */
export async function lockForDeltas(
  tx: Executor,
  schema: string,
  deltas: {
    itemId: string;
    warehouseId: string;
    locationId: string;
    lotId: string | null;
    serialId: string | null;
  }[],
) {
  const stock = await lockStock(tx, schema, deltas);
  const balances = await lockBalances(tx, schema, lockOrder(deltas));
  return { stock, balances };
}

export async function applyDeltas(
  tx: Executor,
  schema: string,
  input: {
    header: Pick<LedgerRow, 'moveId' | 'moveType' | 'postingDate' | 'sourceType' | 'sourceId'>;
    deltas: ValuedDelta[];
    allowNegative: (warehouseId: string) => boolean;
    /** Outgoing stock may not eat into other documents' reservations (true for new postings). */
    respectReservations: boolean;
    /** Sets each delta's value (valuation rows are locked after the balances); runs before the append. */
    valuate?: (deltas: ValuedDelta[]) => Promise<void>;
    /** false: the ledger rows are returned, not appended. */
    append?: boolean;
  },
): Promise<LedgerRow[]> {
  const { stock, balances } = await lockForDeltas(tx, schema, input.deltas);
  const stockDelta = new Map<
    string,
    { onHand: Decimal; reserved: Decimal; itemId: string; warehouseId: string }
  >();
  for (const d of input.deltas) {
    const bk = balanceKey(d);
    const next = balances.get(bk)!.plus(d.quantity);
    balances.set(bk, next);
    if (next.isNegative() && !next.isZero() && (d.serialId || !input.allowNegative(d.warehouseId))) {
      throw d.serialId
        ? new AppError(InventoryErrors.INVENTORY_SERIAL_UNAVAILABLE, { serial: d.serialId })
        : new AppError(InventoryErrors.INVENTORY_INSUFFICIENT_STOCK, {
            item: d.itemId,
            location: d.locationId,
            onHand: next.minus(d.quantity).toFixed(),
            needed: d.quantity.neg().toFixed(),
          });
    }
    const sk = `${d.itemId}|${d.warehouseId}`;
    const acc = stockDelta.get(sk) ?? {
      onHand: new Decimal(0),
      reserved: new Decimal(0),
      itemId: d.itemId,
      warehouseId: d.warehouseId,
    };
    acc.onHand = acc.onHand.plus(d.quantity);
    acc.reserved = acc.reserved.minus(d.reservedConsumed ?? 0);
    stockDelta.set(sk, acc);
  }
  for (const [sk, acc] of stockDelta) {
    const row = stock.get(sk)!;
    const onHand = row.onHand.plus(acc.onHand);
    const reserved = row.reserved.plus(acc.reserved);
    if (
      input.respectReservations &&
      acc.onHand.isNegative() &&
      onHand.lt(reserved) &&
      !input.allowNegative(acc.warehouseId)
    ) {
      throw new AppError(InventoryErrors.INVENTORY_INSUFFICIENT_AVAILABLE, {
        item: acc.itemId,
        available: Decimal.max(row.onHand.minus(row.reserved), 0).toFixed(),
        requested: acc.onHand.neg().toFixed(),
      });
    }
  }
  const perBalance = new Map<string, { key: ValuedDelta; delta: Decimal }>();
  for (const d of input.deltas) {
    const acc = perBalance.get(balanceKey(d)) ?? { key: d, delta: new Decimal(0) };
    acc.delta = acc.delta.plus(d.quantity);
    perBalance.set(balanceKey(d), acc);
  }
  try {
    await addBalancesAndStock(
      tx,
      schema,
      [...perBalance.values()].map((b) => ({ key: b.key, delta: b.delta.toFixed() })),
      [...stockDelta.values()].map((a) => ({
        ...a,
        onHand: a.onHand.toFixed(),
        reserved: a.reserved.toFixed(),
      })),
    );
  } catch (err) {
    if (isUniqueOrCheck(err)) {
      const serial = input.deltas.find((d) => d.serialId)?.serialId ?? '';
      throw new AppError(InventoryErrors.INVENTORY_SERIAL_UNAVAILABLE, { serial });
    }
    throw err;
  }
  if (input.valuate) await input.valuate(input.deltas);
  const ledger = input.deltas.map((d) => ({ ...input.header, ...d }));
  // A caller that appends the ledger with more in one statement (a posting's tail) takes the rows.
  if (input.append !== false) await appendLedger(tx, schema, ledger);
  return ledger;
}
